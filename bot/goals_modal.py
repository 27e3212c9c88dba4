"""The /tweetstats goals form: a Slack modal with one field per goal, and the reading of what was submitted.

Nothing here talks to Slack or the store. ``bot.goal_listeners`` opens the
modal with ``views.open`` and acknowledges its ``view_submission``. Each field
shows a target the way a user types it (``format_target``). A field left as
shown is left out of the save, so a goal that another admin changed while the
form was open keeps that change.
"""

import json
from dataclasses import dataclass

from slack_sdk.models.blocks import InputBlock, MarkdownTextObject, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from bot.handlers import AccountGoals
from metrics.accounts import parse_handle
from metrics.errors import UsageError
from metrics.goal_store import GoalSetting
from metrics.goals import DEFAULT_WORD, GOALS, GoalError, GoalSpec, format_target, parse_target

# The view_submission listener is registered for this callback_id.
GOALS_CALLBACK_ID = "goals_form"
# Every goal's input block has the goal's name as block_id and this action_id.
TARGET_ACTION_ID = "target"
TITLE = "Strategy goals"
# Longer than any target a user types, such as "1440 minutes". Slack itself rejects longer input.
MAX_TARGET_LENGTH = 40
# The unit that each goal's field label names.
UNIT_LABELS = {"share": "%", "minutes": "time", "number": "number"}
EXPIRED_FORM = ("Sorry, this form can no longer be read, so nothing was saved. "
                "Run `/tweetstats goals` again for a fresh one.")


@dataclass(frozen=True)
class FormMetadata:
    """The account and the text each field showed, as the form's private_metadata carries them."""

    account_id: int
    handle: str
    initial_texts: dict[str, str]


def build_goals_modal(goals: AccountGoals) -> dict:
    """Build the modal for views.open: an introduction, then one optional field per goal in GOALS order."""
    account = goals.account
    initial_texts = {spec.name: _initial_text(spec, goals.settings[spec.name]) for spec in GOALS}
    intro = (f"Targets for *@{account.handle}*. A change counts from the moment you save, and reports of "
             "earlier periods keep the goals they had.")
    blocks = [SectionBlock(block_id="intro", text=MarkdownTextObject(text=intro))]
    blocks += [_goal_input(spec, initial_texts[spec.name]) for spec in GOALS]
    metadata = {"account_id": account.id, "handle": account.handle, "initial": initial_texts}
    view = View(type="modal", callback_id=GOALS_CALLBACK_ID, title=TITLE, submit="Save", close="Cancel",
                private_metadata=json.dumps(metadata, separators=(",", ":")), blocks=blocks)
    return view.to_dict()


def goal_label(spec: GoalSpec) -> str:
    """Return the field label: the goal, its direction and its unit, as in "Response rate, at least (%)"."""
    return f"{spec.label}, {spec.direction_text} ({UNIT_LABELS[spec.unit]})"


def goal_hint(spec: GoalSpec) -> str:
    """Return the text under a field: how to type a target, the default, and how to switch the goal off."""
    if spec.default is None:
        default = "There is no goal by default"
    else:
        default = f"The default is {format_target(spec, spec.default)}"
    return f"{spec.unit_help[0].upper()}{spec.unit_help[1:]}. {default}. Leave the field empty for no goal."


def read_form_metadata(text: object) -> FormMetadata | None:
    """Read the form's private_metadata back, or return None when it is missing or not what the form wrote."""
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    account_id, handle, initial_texts = data.get("account_id"), data.get("handle"), data.get("initial")
    if not isinstance(account_id, int) or isinstance(account_id, bool) or not isinstance(handle, str):
        return None
    try:
        handle = parse_handle(handle)
    except UsageError:
        return None
    if not isinstance(initial_texts, dict):
        initial_texts = {}
    texts = {name: text for name, text in initial_texts.items() if isinstance(text, str)}
    return FormMetadata(account_id, handle, texts)


def read_targets(view: dict, initial_texts: dict[str, str]) -> tuple[dict[str, float | None | str], dict[str, str]]:
    """Read the submitted fields into targets for ``set_goals``, and an error message per invalid field.

    A field left as it was shown is not a target. An empty field is None (no
    goal), and the word ``default`` restores the goal's default. Both returned
    dicts are keyed by goal name, which is also each field's block_id.
    """
    values = (view.get("state") or {}).get("values") or {}
    targets: dict[str, float | None | str] = {}
    errors: dict[str, str] = {}
    for spec in GOALS:
        typed = _typed_text(values.get(spec.name))
        if typed is None or (spec.name in initial_texts and typed == initial_texts[spec.name].strip()):
            continue
        try:
            targets[spec.name] = _read_target(spec, typed)
        except GoalError as error:
            # The field's label already names the goal, so the message starts at the value.
            errors[spec.name] = str(error).removeprefix(f"{spec.name}=")
    return targets, errors


def build_saved_view(goals: AccountGoals) -> dict:
    """Build the view that replaces the form after a save: the goals now in force, and which changed."""
    handle = goals.account.handle
    if goals.changed:
        changed = ", ".join(spec.label for spec in GOALS if spec.name in goals.changed)
        summary = f"*@{handle}'s goals are saved.* Changed from now on: {changed}."
    else:
        summary = f"*Nothing changed:* every field matched @{handle}'s goals in force."
    lines = [_setting_line(spec, goals.settings[spec.name], spec.name in goals.changed) for spec in GOALS]
    return build_notice_view(f"{summary}\n\n*Goals in force*\n" + "\n".join(lines))


def build_notice_view(text: str) -> dict:
    """Build a modal with one mrkdwn section and a close button, for a confirmation or an error."""
    section = SectionBlock(text=MarkdownTextObject(text=text))
    return View(type="modal", title=TITLE, close="Done", blocks=[section]).to_dict()


def _goal_input(spec: GoalSpec, initial_text: str) -> InputBlock:
    element = PlainTextInputElement(action_id=TARGET_ACTION_ID, initial_value=initial_text or None,
                                    placeholder="No goal", max_length=MAX_TARGET_LENGTH)
    return InputBlock(block_id=spec.name, label=goal_label(spec), element=element, hint=goal_hint(spec),
                      optional=True)


def _initial_text(spec: GoalSpec, setting: GoalSetting) -> str:
    """Return a field's initial text: the target as typed, or empty for a goal that is off."""
    return "" if setting.target is None else format_target(spec, setting.target)


def _typed_text(block: object) -> str | None:
    """Return a field's submitted text, stripped, or None when the submission lacks the field."""
    if not isinstance(block, dict):
        return None
    element = block.get(TARGET_ACTION_ID)
    if not isinstance(element, dict):
        return None
    value = element.get("value")
    # Slack sends null for an optional field left empty.
    return value.strip() if isinstance(value, str) else ""


def _read_target(spec: GoalSpec, typed: str) -> float | None | str:
    if not typed:
        return None
    if typed.lower() == DEFAULT_WORD:
        return DEFAULT_WORD
    return parse_target(spec, typed)


def _setting_line(spec: GoalSpec, setting: GoalSetting, changed: bool) -> str:
    if setting.target is None:
        line = f"• {spec.label}: off"
    else:
        line = f"• {spec.label}: {spec.direction_text} {format_target(spec, setting.target)}"
    if changed:
        line += " _(changed)_"
    return line
