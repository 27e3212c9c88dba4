"""Classify a public mention of the library's account as a question that needs a reply.

The rules are plain regular expressions over the tweet text, in English and French,
including Quebec French. They are checked in this fixed order, and the first rule that
matches gives the reason code of the decision (``REASON_CODES`` lists the same order):

 1. ``retweet``        not a question: ``is_retweet=True``, or the text starts with "RT @".
 2. ``own_tweet``      not a question: ``is_own=True``, a tweet by the account itself.
 3. ``no_text``        not a question: only mentions, links, hashtags, emoji and punctuation.
 4. ``question_mark``  "?", full-width "？", "¿" or a question-mark emoji anywhere in the
                       text that remains once links are removed.
 5. ``question_word``  a question word that starts a clause ("How do…", "Où…", "Pourquoi…"),
                       or a French question word in place ("c'est quoi", "vous fermez quand",
                       "ça coûte combien").
 6. ``est_ce_que``     French "est-ce que" / "est-ce qu'" anywhere ("eske" in Quebec spelling).
 7. ``auxiliary``      an English auxiliary and its subject that start a clause ("Can you…",
                       "Is there…", "Does…"), or an elided auxiliary ("Any chance…",
                       "Anyone know…").
 8. ``inversion``      a French verb joined to its subject pronoun by a hyphen ("Pouvez-vous",
                       "Y a-t-il", "Puis-je"), or without the hyphen where it starts a clause.
 9. ``tu_particle``    the Quebec "-tu" question particle ("C'est-tu ouvert", "Vous avez-tu").
10. ``statement``      none of the rules above matched.

A clause starts at the start of the text or right after ". ! ? … ; :", a line break, an
emoji or a dash. Mentions, hashtags, punctuation, greetings, openers and conjunctions at
the start of a clause are skipped ("@NorthbrookHSL Hi, do you…", "Mais pourquoi…"). A
question word inside a sentence ("I wonder how…") does not count.

Matching ignores case, with one exception: a lower-case English auxiliary right after a
mention needs a pronoun subject, because "@NorthbrookHSL is the best" uses the mention
as its subject. Curly apostrophes count as straight ones. French accents matter: "où"
is a question word but "ou" ("or") is not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, NamedTuple

REASON_CODES = (
    "retweet",
    "own_tweet",
    "no_text",
    "question_mark",
    "question_word",
    "est_ce_que",
    "auxiliary",
    "inversion",
    "tu_particle",
    "statement",
)


@dataclass(frozen=True, slots=True)
class QuestionDecision:
    """Decision on one mention, with the code of the rule that made it (see REASON_CODES)."""

    is_question: bool
    reason: str


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _alternation(words: Iterable[str], *, add_unaccented: bool = False) -> str:
    """Build a non-capturing regex alternation, longest word first.

    With add_unaccented, each word is also accepted without its accents, because people
    often type "etes-vous" for "êtes-vous".
    """
    variants = set(words)
    if add_unaccented:
        variants |= {_strip_accents(word) for word in variants}
    ordered = sorted(variants, key=lambda word: (-len(word), word))
    return "(?:" + "|".join(re.escape(word) for word in ordered) + ")"


# --- Text clean-up --------------------------------------------------------------------

# Curly apostrophes and Unicode hyphens are read as "'" and "-".
_CHARACTER_MAP = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"}
)

# An old-style retweet: "RT @handle: …".
RETWEET_PREFIX_RE = re.compile(r"\s*RT\s+@", re.IGNORECASE)

# Links: full URLs, bare t.co / www. addresses and pic.twitter.com media links.
LINK_RE = re.compile(r"https?://\S+|\bwww\.\S+|\bt\.co/\S+|\bpic\.twitter\.com/\S+", re.IGNORECASE)

# @mentions anywhere in the text. The look-behind keeps e-mail addresses.
MENTION_RE = re.compile(r"(?<!\w)@\w+")

# Hashtags, removed only to decide whether any real text is left.
HASHTAG_RE = re.compile(r"(?<!\w)#\w+")

# A letter or digit. A mention with none left once mentions, links and hashtags are
# removed is "no_text".
WORD_CHARACTER_RE = re.compile(r"[^\W_]")

# --- Rule 4: question marks -------------------------------------------------------------

# ASCII "?", full-width "？", Spanish "¿", Arabic "؟", and the ❓ ❔ ⁇ ⁈ ⁉ symbols.
QUESTION_MARK_RE = re.compile("[?\uff1f\u00bf\u061f\u2753\u2754\u2047\u2048\u2049]")

# --- Clauses ----------------------------------------------------------------------------

# Emoji and pictographs end a clause, as in "Merci 🙏 Avez-vous…".
_EMOJI_CLASS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"

# Clause boundaries: sentence punctuation, line breaks, emoji, en and em dashes, and a
# hyphen with spaces around it ("Sorry to bother you - what are…").
CLAUSE_BOUNDARY_RE = re.compile(
    f"[.!?\uff1f\u00a1\u2026;:\n\r\u2013\u2014{_EMOJI_CLASS}]+" + r"|\s-+\s"
)

# Greetings, openers and conjunctions skipped at the start of a clause ("Hi,", "Bonjour",
# "Quick question,", "Mais pourquoi…").
CLAUSE_OPENERS = (
    "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening",
    "thanks", "thank you", "quick question", "question", "sorry", "excuse me",
    "but", "and", "so", "also", "ok", "okay", "well",
    "bonjour", "bonsoir", "salut", "allo", "allô", "coucou", "merci",
    "petite question", "une question", "désolé", "désolée", "excusez-moi",
    "mais", "et", "alors", "pis", "donc",
)  # fmt: skip

# Words that may follow an opener: "Hi there,", "Bonjour à tous,".
OPENER_FOLLOWERS = (
    "there", "all", "everyone", "folks", "team", "friends",
    "à tous", "à toutes", "tout le monde", "l'équipe", "la gang", "gang",
)  # fmt: skip

# Matches the punctuation, symbols, hashtags and openers at the start of a clause.
# The possessive "*+" (Python 3.11 and later) never backtracks, so long runs of
# punctuation stay fast.
_CLAUSE_NOISE = r"(?:[^\w#]|#\w*)*+"
CLAUSE_OPENING_RE = re.compile(
    _CLAUSE_NOISE
    + r"(?:"
    + _alternation(CLAUSE_OPENERS, add_unaccented=True)
    + r"(?:\s+"
    + _alternation(OPENER_FOLLOWERS, add_unaccented=True)
    + r")?(?![\w'])"
    + _CLAUSE_NOISE
    + r")*",
    re.IGNORECASE,
)


class Clause(NamedTuple):
    """One clause of a mention, with its leading punctuation, hashtags and openers removed."""

    text: str
    # True when a mention directly precedes a clause that starts in lower case, as in
    # "@NorthbrookHSL is the best", where the mention is probably the subject.
    follows_mention: bool


def _split_clauses(body: str) -> list[Clause]:
    """Split the text, with links removed and mentions replaced by "@", into clauses."""
    clauses = []
    for part in CLAUSE_BOUNDARY_RE.split(body):
        start = CLAUSE_OPENING_RE.match(part).end()
        text = part[start:]
        if text:
            follows_mention = "@" in part[:start] and text[0].islower()
            clauses.append(Clause(text, follows_mention))
    return clauses


# --- Rule 5: question words ---------------------------------------------------------------

# English auxiliaries and modals, used after a question word ("When does…") and in rule 7.
EN_MODALS = (
    "can", "could", "would", "will", "should", "shall",
    "cannot", "can't", "couldn't", "wouldn't", "won't", "shouldn't",
)  # fmt: skip
# "r" is the texting spelling of "are" ("where r the printers").
EN_BE = ("is", "are", "r", "was", "were", "am", "isn't", "aren't", "wasn't", "weren't")
EN_DO = ("do", "don't")
EN_DOES = ("does", "did", "doesn't", "didn't")
EN_HAVE = ("have", "had", "haven't", "hadn't")
EN_HAS = ("has", "hasn't")
EN_PERMISSION = ("may", "might", "must")
EN_AUXILIARIES = EN_MODALS + EN_BE + EN_DO + EN_DOES + EN_HAVE + EN_HAS + EN_PERMISSION
_EN_AUXILIARY = _alternation(EN_AUXILIARIES)

# "How" starts a question only before these words, so "How cool is that!" and the
# headline "How to cite…" are not questions.
EN_HOW_FOLLOWERS = EN_AUXILIARIES + (
    "much", "many", "long", "often", "far", "soon", "late", "early", "old", "big", "about", "come",
)  # fmt: skip

# "What" starts no question before these words: "What a day!", the headline
# "What you need to know".
EN_WHAT_EXCLUDED_FOLLOWERS = ("a", "an", "i", "we", "you", "they", "he", "she", "it")

# "Who knew…" is rhetorical and "Who we are" is a headline.
EN_WHO_EXCLUDED_FOLLOWERS = ("knew", "i", "we", "you", "they")

# "Which is why…" and "Which means…" continue a statement.
EN_WHICH_EXCLUDED_FOLLOWERS = ("is why", "means", "makes")

# "Comment below", "Comment on this" are English, unlike the French "Comment on fait".
EN_COMMENT_FOLLOWERS = (
    "below", "here", "and", "with", "if", "your", "the", "this", "to", "please", "down",
)  # fmt: skip
EN_COMMENT_ON_OBJECTS = ("this", "that", "our", "the", "my", "your", "it", "his", "her", "their")

# French subjects and determiners: "quand" before one of them means "when" in a statement
# ("Quand j'étais étudiante, …"), as does "quand même" ("anyway").
FR_QUAND_EXCLUDED_FOLLOWERS = (
    "même", "bien", "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles",
    "ça", "ca", "ce", "cela", "la", "le", "les", "un", "une", "des", "mon", "ma", "mes",
    "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs",
    "tout", "tous",
)  # fmt: skip
FR_ELISIONS = ("j'", "t'", "c'", "l'", "s'", "qu'", "m'", "n'")

# "Quel(le)(s)" starts a question before a form of "être" or a time word. Before other
# nouns it is usually an exclamation: "Quelle belle soirée!".
FR_QUEL_FOLLOWERS = (
    "est", "sont", "était", "étaient", "serait", "seraient", "sera", "seront",
    "heure", "jour", "date", "genre", "type", "sorte",
)  # fmt: skip

_EN_HOW = r"how(?:'s|'re|'d|\s+" + _alternation(EN_HOW_FOLLOWERS) + r")\b"
_EN_WHERE_WHEN_WHY = r"(?:where|when|why)(?:'s|'re|'d|\s+" + _EN_AUXILIARY + r")\b"
_EN_WHAT = r"what\b(?!\s+" + _alternation(EN_WHAT_EXCLUDED_FOLLOWERS) + r"\b)"
_EN_WHO = r"who\b(?!\s+" + _alternation(EN_WHO_EXCLUDED_FOLLOWERS) + r"\b)"
_EN_WHICH = r"which\b(?!\s+" + _alternation(EN_WHICH_EXCLUDED_FOLLOWERS) + r"\b)"
_EN_WHOM_WHOSE = r"(?:whom|whose)\b"
# NOTE: "ou" without its accent means "or", so "ou est la salle" is not recognised as a
# question. Accepting it would make every "livres ou revues" ambiguous.
_FR_OU = r"(?:d'|par\s+)?où\b"
_FR_COMMENT = (
    r"comment\b(?!\s+" + _alternation(EN_COMMENT_FOLLOWERS) + r"\b"
    r"|\s+on\s+" + _alternation(EN_COMMENT_ON_OBJECTS) + r"\b)"
)
_FR_QUAND = (
    r"quand\b(?!\s+" + _alternation(FR_QUAND_EXCLUDED_FOLLOWERS, add_unaccented=True) + r"\b"
    r"|\s+" + _alternation(FR_ELISIONS) + r")"
)
_FR_POURQUOI = r"pourquoi\b(?!\s+pas\b)"
_FR_QUI = r"qui\b(?!\s+sait\b)"  # "Qui sait" ("who knows") is rhetorical.
_FR_QUEL = r"quel(?:le)?s?\s+" + _alternation(FR_QUEL_FOLLOWERS, add_unaccented=True) + r"\b"
_FR_OTHER_WORDS = r"(?:combien|qu'est[- ]ce|lequel|laquelle|lesquels|lesquelles)\b"

# A question word at the start of a clause.
# NOTE: indirect questions ("I was wondering if you have…", "Je me demande si…") are not
# recognised, because "I wonder if it will snow" needs no reply.
QUESTION_WORD_START_RE = re.compile(
    "|".join(
        (
            _EN_HOW, _EN_WHERE_WHEN_WHY, _EN_WHAT, _EN_WHO, _EN_WHICH, _EN_WHOM_WHOSE,
            _FR_OU, _FR_COMMENT, _FR_QUAND, _FR_POURQUOI, _FR_QUI, _FR_QUEL, _FR_OTHER_WORDS,
        )
    ),
    re.IGNORECASE,
)  # fmt: skip

# French question words left in place, anywhere in a clause: "c'est quoi le mot de passe",
# "vous ouvrez à quelle heure", "depuis quand", "vous fermez quand pendant les fêtes".
FR_IN_PLACE_RE = re.compile(
    r"\bc'est\s+(?:quoi|où|combien|quand(?!\s+même))\b"
    r"|\b[aà]\s+quelle\s+heure\b"
    r"|\b(?:depuis|jusqu'[aà])\s+quand\b"
    r"|(?<!importe )\b" + _FR_QUAND,
    re.IGNORECASE,
)

# "Combien" and "où" at the end of a clause form a question ("Ça coûte combien",
# "La salle est où"), unless the clause ends with "n'importe où" ("anywhere").
FR_CLAUSE_END_RE = re.compile(r"(?<!importe )(?<!\w)(?:combien|où)\W*$", re.IGNORECASE)

# --- Rule 6: "est-ce que" ---------------------------------------------------------------

# "est-ce que", "est-ce qu'", "est ce que", and the Quebec spellings "eske" and "esque".
# The look-behind keeps "c'est ce que j'aime" ("that's what I like") a statement.
EST_CE_QUE_RE = re.compile(r"(?<!c')\best[- ]?ce[- ]?qu(?:e\b|')|\b(?:eske|esque)\b", re.IGNORECASE)

# --- Rule 7: English auxiliaries --------------------------------------------------------

# Library users named without a determiner: "Can alumni still access…", "Do students pay…".
EN_USER_NOUNS = (
    "students", "alumni", "staff", "visitors", "guests", "residents", "members", "patrons",
    "nurses", "doctors", "physicians", "faculty", "researchers", "people", "kids", "children",
)  # fmt: skip

# Subjects after a modal, "be" or "has": "Can you", "Is there", "Has the schedule…".
# "a" and "an" are left out because "Was a great day" usually drops its subject "It".
EN_SUBJECTS = (
    "i", "you", "u", "we", "they", "he", "she", "it", "y'all", "one",
    "someone", "somebody", "anyone", "anybody", "everyone", "everybody",
    "there", "this", "that", "these", "those", "the", "any",
    "my", "our", "your", "their", "his", "her", "its",
) + EN_USER_NOUNS  # fmt: skip

# Subjects after "do", "have" and "may": a determiner there is an imperative
# ("Do your best", "Have a great weekend").
EN_PERSON_SUBJECTS = (
    "i", "you", "u", "we", "they", "y'all",
    "anyone", "anybody", "someone", "somebody", "any", "there",
) + EN_USER_NOUNS  # fmt: skip

# Subjects accepted when a lower-case auxiliary follows a mention, because there the
# mention is often the subject: "@NorthbrookHSL is the best", "@NorthbrookHSL did it again".
EN_PRONOUN_SUBJECTS = (
    "i", "you", "u", "we", "they", "y'all", "it", "there",
    "anyone", "anybody", "someone", "somebody",
)  # fmt: skip

# "the" before a superlative is an elliptical statement: "Was the best workshop ever".
EN_SUPERLATIVES = (
    "best", "worst", "most", "greatest", "highlight",
    "coolest", "nicest", "friendliest", "happiest",
)  # fmt: skip

# "there" before these words is an adverb: "@NorthbrookHSL was there for me".
EN_THERE_ADVERB_FOLLOWERS = ("for", "when", "with", "to", "and", "again", "always", "every")

# "Any chance…", "Any updates on…": a question with "is there" left out.
EN_ANY_NOUNS = (
    "chance", "idea", "ideas", "update", "updates", "news", "word", "plans",
    "recommendations", "suggestions", "tips", "advice", "thoughts",
)  # fmt: skip

# "Anyone know…", "Anybody tried…": a question with "does" or "has" left out.
EN_ANYONE_VERBS = (
    "know", "knows", "have", "has", "got", "tried", "seen", "used", "else", "here", "around",
)  # fmt: skip


def _subject_pattern(subjects: tuple[str, ...]) -> str:
    """Build the regex for one subject word, with the exceptions for "the" and "there"."""
    plain = [word for word in subjects if word not in ("the", "there")]
    options = [_alternation(plain) + r"\b"]
    if "the" in subjects:
        options.append(r"the\b(?!\s+" + _alternation(EN_SUPERLATIVES) + r"\b)")
    if "there" in subjects:
        options.append(r"there\b(?!\s+" + _alternation(EN_THERE_ADVERB_FOLLOWERS) + r"\b)")
    return "(?:" + "|".join(options) + ")"


def _auxiliary_start_pattern(
    subjects: tuple[str, ...], person_subjects: tuple[str, ...], does_subject: str
) -> str:
    """Build the regex for an auxiliary and its subject at the start of a clause."""
    return "|".join(
        (
            _alternation(EN_MODALS + EN_BE + EN_HAS) + r"\s+" + _subject_pattern(subjects),
            _alternation(EN_DO + EN_HAVE + EN_PERMISSION)
            + r"\s+"
            + _subject_pattern(person_subjects),
            _alternation(EN_DOES) + r"\s+" + does_subject,
            r"any\s+" + _alternation(EN_ANY_NOUNS) + r"\b",
            r"(?:anyone|anybody|someone|somebody)\s+" + _alternation(EN_ANYONE_VERBS) + r"\b",
        )
    )


# An auxiliary and its subject at the start of a clause. "Does" and "did" cannot start an
# imperative, so any word may follow them.
AUXILIARY_START_RE = re.compile(
    _auxiliary_start_pattern(EN_SUBJECTS, EN_PERSON_SUBJECTS, does_subject=r"\w"), re.IGNORECASE
)

# The same rule for a lower-case auxiliary right after a mention: only pronouns count.
AUXILIARY_AFTER_MENTION_RE = re.compile(
    _auxiliary_start_pattern(
        EN_PRONOUN_SUBJECTS,
        EN_PERSON_SUBJECTS,
        does_subject=_subject_pattern(tuple(word for word in EN_PRONOUN_SUBJECTS if word != "it")),
    ),
    re.IGNORECASE,
)

# --- Rules 8 and 9: French inversion and the "-tu" particle -----------------------------

# A word joined by hyphens to a subject pronoun, with the "-t-" of "a-t-il" when present.
# The prefix group matches an elided word such as "c'" in "c'est-tu" or "y'" in "y'a-tu".
# The look-arounds skip longer chains: "allez-vous-en", "s'il-vous-plaît", "dites-le-nous".
HYPHEN_PRONOUN_RE = re.compile(
    r"(?<![\w'-])(?P<prefix>[^\W\d_]+')?(?P<verb>[^\W\d_]+)-(?P<t>t-)?"
    r"(?P<pronoun>je|tu|il|elle|on|ils|elles|nous|vous|ce)(?![\w-])",
    re.IGNORECASE,
)

# "-vous" and "-nous" also follow imperatives ("Inscrivez-vous", "Dites-nous",
# "Rendez-vous"), so they count only after verbs that often start a question.
FR_VOUS_QUESTION_VERBS = (
    "avez", "aviez", "aurez", "auriez", "êtes", "étiez", "serez", "seriez",
    "pouvez", "pourriez", "pourrez", "voulez", "voudriez", "savez", "sauriez",
    "allez", "irez", "faites", "ferez", "feriez", "devez", "devriez",
    "connaissez", "acceptez", "proposez", "prêtez", "vendez", "fournissez",
    "recommandez", "conseillez", "suggérez", "ouvrez", "fermez", "disposez",
    "utilisez", "prévoyez", "comptez", "pensez", "croyez", "trouvez", "recevez",
)  # fmt: skip
FR_NOUS_QUESTION_VERBS = (
    "avons", "aurons", "aurions", "sommes", "serons", "serions", "pouvons", "pourrons",
    "pourrions", "devons", "devrions", "allons", "savons", "voulons",
)  # fmt: skip

# "Est-ce possible", "Serait-ce", "N'est-ce pas".
FR_CE_VERBS = ("est", "était", "serait", "sera", "fut", "fût")

# Speech verbs in a quotation tag ("« … », affirme-t-elle") are not questions.
FR_SPEECH_VERBS = (
    "dit", "affirme", "explique", "ajoute", "souligne", "précise", "estime", "rappelle",
    "indique", "déclare", "raconte", "lance", "confie", "note", "poursuit", "conclut",
    "assure", "insiste", "reconnaît", "admet", "avoue", "soutient", "observe", "remarque",
    "signale", "résume", "répond", "commente", "écrit", "annonce", "témoigne", "illustre",
    "prévient", "rapporte", "déplore", "disait", "expliquait", "affirmait",
    "disent", "affirment", "expliquent", "ajoutent", "soulignent", "précisent",
    "estiment", "rappellent", "indiquent", "déclarent", "racontent",
)  # fmt: skip

# The past-tense quotation tag: "« … », a-t-il dit", "ont-elles ajouté".
FR_SPEECH_PARTICIPLES = (
    "dit", "affirmé", "expliqué", "ajouté", "souligné", "précisé", "estimé", "rappelé",
    "indiqué", "déclaré", "raconté", "lancé", "confié", "noté", "conclu", "assuré",
    "insisté", "reconnu", "admis", "avoué", "soutenu", "observé", "remarqué", "signalé",
    "résumé", "répondu", "commenté", "écrit", "annoncé", "témoigné",
)  # fmt: skip
SPEECH_PARTICIPLE_AFTER_RE = re.compile(
    r"\s+" + _alternation(FR_SPEECH_PARTICIPLES, add_unaccented=True) + r"\b", re.IGNORECASE
)

# First halves of English compounds such as "add-on" and "put-on". Like a French verb before
# "-on", they end in "t" or "d". "hands-on" needs no entry because it ends in "s".
EN_HYPHEN_ON_WORDS = (
    "add", "head", "bolt", "put", "set", "get", "hold", "read", "sit", "stand", "bid",
)  # fmt: skip

# Vous-form verbs that end in "s", so "Vous êtes-tu…" is the particle, not "tu" inversion.
FR_VOUS_FORMS_ENDING_IN_S = ("êtes", "etes", "faites", "dites")

_FR_VOUS_QUESTION_VERB_SET = frozenset(_strip_accents(verb) for verb in FR_VOUS_QUESTION_VERBS)
_FR_NOUS_QUESTION_VERB_SET = frozenset(_strip_accents(verb) for verb in FR_NOUS_QUESTION_VERBS)
_FR_CE_VERB_SET = frozenset(_strip_accents(verb) for verb in FR_CE_VERBS)
_FR_SPEECH_VERB_SET = frozenset(_strip_accents(verb) for verb in FR_SPEECH_VERBS)
_EN_HYPHEN_ON_WORD_SET = frozenset(EN_HYPHEN_ON_WORDS)

# Inversion written without the hyphen, counted only at the start of a clause because
# "Vous pouvez vous inscrire" and "Merci tu es génial" are statements. "Puis je" is left
# out because it also means "then I".
FR_SPACED_INVERSION_VERBS = (
    "ai", "as", "suis", "es", "est", "peux", "peut", "dois", "doit", "sais", "sait",
    "veux", "veut", "vais", "vas", "va", "fais", "fait", "faut", "sont", "ont", "vont",
    "peuvent", "doivent", "savent", "pourrais", "pourrait", "devrais", "devrait",
    "serais", "serait", "aurais", "aurait", "voudrais", "voudrait", "faudrait",
)  # fmt: skip

# "On" is also an English word ("As on previous years"), so spaced "… on" needs one of these.
FR_SPACED_ON_VERBS = ("peut", "doit", "sait", "fait", "faut", "pourrait", "devrait", "faudrait")

# Only the first branch names its groups, because only there can the pronoun be "tu".
SPACED_INVERSION_START_RE = re.compile(
    "|".join(
        (
            r"(?P<verb>" + _alternation(FR_SPACED_INVERSION_VERBS) + r")"
            r"\s+(?P<pronoun>je|tu|il|elle|ils|elles)\b",
            _alternation(FR_SPACED_ON_VERBS) + r"\s+on\b",
            _alternation(FR_VOUS_QUESTION_VERBS, add_unaccented=True) + r"\s+vous\b",
            _alternation(FR_NOUS_QUESTION_VERBS) + r"\s+nous\b",
        )
    ),
    re.IGNORECASE,
)  # fmt: skip

# The "-tu" particle written with a space or contracted: "c'est tu gratuit", "y a tu",
# "c'tu ouvert".
# NOTE: after other verbs the spaced particle ("vous avez tu des casiers") is not
# recognised, because "avez tu" can also be the past participle of "taire".
SPACED_TU_PARTICLE_RE = re.compile(
    r"\b(?:c'est|c'était|c'etait|c'tait|y'a|y a|y'avait)\s+tu\b|\bc'tu\b", re.IGNORECASE
)


def _is_second_person_singular(verb: str) -> bool:
    """Return whether a verb before "-tu" is the tu-form ("as", "peux"), as in standard inversion.

    Tu-forms end in "s" or "x". Other endings ("c'est-tu", "avez-tu", "marche-tu")
    mark the Quebec "-tu" particle, as do vous- and nous-forms ("êtes-tu", "allons-tu").
    """
    verb = verb.lower()
    if verb in FR_VOUS_FORMS_ENDING_IN_S or verb.endswith("ons"):
        return False
    return verb.endswith(("s", "x"))


def _hyphen_pronoun_reason(match: re.Match[str], text: str) -> str | None:
    """Return "inversion", "tu_particle" or None for one HYPHEN_PRONOUN_RE match in text."""
    verb = match["verb"].lower()
    plain_verb = _strip_accents(verb)
    pronoun = match["pronoun"].lower()

    if pronoun == "tu":
        return "inversion" if _is_second_person_singular(verb) else "tu_particle"
    if pronoun == "je":
        return "inversion"
    if pronoun == "vous":
        return "inversion" if plain_verb in _FR_VOUS_QUESTION_VERB_SET else None
    if pronoun == "nous":
        return "inversion" if plain_verb in _FR_NOUS_QUESTION_VERB_SET else None
    if pronoun == "ce":
        return "inversion" if plain_verb in _FR_CE_VERB_SET else None

    # il, elle, on, ils, elles: skip quotation tags such as "affirme-t-elle" and "a-t-il dit".
    if plain_verb in _FR_SPEECH_VERB_SET:
        return None
    if SPEECH_PARTICIPLE_AFTER_RE.match(text, match.end()):
        return None
    if match["t"]:
        return "inversion"
    # A verb ending in a vowel takes "-t-" ("a-t-il"), so without it the verb ends in
    # "t" or "d" ("est-il", "prend-on"). This also rules out English "follow-on".
    if not verb.endswith(("t", "d")):
        return None
    if pronoun == "on" and verb in _EN_HYPHEN_ON_WORD_SET:
        return None
    return "inversion"


def _french_inversion_reason(body: str, clauses: list[Clause]) -> str | None:
    """Return "inversion" if the text has one, else "tu_particle" if it has the particle.

    Return None when it has neither.
    """
    found_particle = False

    for match in HYPHEN_PRONOUN_RE.finditer(body):
        reason = _hyphen_pronoun_reason(match, body)
        if reason == "inversion":
            return reason
        if reason == "tu_particle":
            found_particle = True

    for clause in clauses:
        match = SPACED_INVERSION_START_RE.match(clause.text)
        if match is None:
            continue
        pronoun = (match["pronoun"] or "").lower()
        if pronoun == "tu" and not _is_second_person_singular(match["verb"]):
            found_particle = True
            continue
        return "inversion"

    if found_particle or SPACED_TU_PARTICLE_RE.search(body):
        return "tu_particle"
    return None


def _has_auxiliary_start(clause: Clause) -> bool:
    if clause.follows_mention:
        return AUXILIARY_AFTER_MENTION_RE.match(clause.text) is not None
    return AUXILIARY_START_RE.match(clause.text) is not None


_NOT_QUESTION_REASONS = frozenset(("retweet", "own_tweet", "no_text", "statement"))
_DECISIONS = {
    reason: QuestionDecision(is_question=reason not in _NOT_QUESTION_REASONS, reason=reason)
    for reason in REASON_CODES
}


def classify_mention(
    text: str, *, is_retweet: bool = False, is_own: bool = False
) -> QuestionDecision:
    """Decide whether a mention is a question that needs a reply.

    ``text`` is the tweet text with HTML entities already unescaped. ``is_retweet`` and
    ``is_own`` win over the text, and when both are set the reason is "retweet". An empty
    text is "no_text". The function has no side effects.
    """
    if is_retweet:
        return _DECISIONS["retweet"]
    if is_own:
        return _DECISIONS["own_tweet"]
    if not text:
        return _DECISIONS["no_text"]

    normalized = unicodedata.normalize("NFC", text).translate(_CHARACTER_MAP)
    if RETWEET_PREFIX_RE.match(normalized):
        return _DECISIONS["retweet"]

    # Each mention becomes a lone "@", so _split_clauses can tell which clauses follow one.
    body = MENTION_RE.sub(" @ ", LINK_RE.sub(" ", normalized))
    if not WORD_CHARACTER_RE.search(HASHTAG_RE.sub(" ", body)):
        return _DECISIONS["no_text"]

    if QUESTION_MARK_RE.search(body):
        return _DECISIONS["question_mark"]

    clauses = _split_clauses(body)

    if any(QUESTION_WORD_START_RE.match(clause.text) for clause in clauses):
        return _DECISIONS["question_word"]
    if FR_IN_PLACE_RE.search(body):
        return _DECISIONS["question_word"]
    if any(FR_CLAUSE_END_RE.search(clause.text) for clause in clauses):
        return _DECISIONS["question_word"]

    if EST_CE_QUE_RE.search(body):
        return _DECISIONS["est_ce_que"]

    if any(_has_auxiliary_start(clause) for clause in clauses):
        return _DECISIONS["auxiliary"]

    french_reason = _french_inversion_reason(body, clauses)
    if french_reason is not None:
        return _DECISIONS[french_reason]

    return _DECISIONS["statement"]
