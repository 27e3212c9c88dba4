"""Fixed data of the sample: link tables, names, organisation posts, and templates for library posts and mentions."""

from __future__ import annotations

from datetime import datetime, timezone

from metrics.sample import OWN_DOMAINS

OWN_DOMAIN = OWN_DOMAINS[0]
OWN_LINKS = {
    "hours": f"https://{OWN_DOMAIN}/hours",
    "book": f"https://www.{OWN_DOMAIN}/services/book-a-librarian",
    "workshops": f"https://www.{OWN_DOMAIN}/workshops",
    "remote": f"https://guides.{OWN_DOMAIN}/remote-access",
    "sysrev": f"https://guides.{OWN_DOMAIN}/systematic-reviews",
    "citations": f"https://guides.{OWN_DOMAIN}/citation-managers",
    "loan": f"https://www.{OWN_DOMAIN}/services/interlibrary-loan",
    "rooms": f"https://{OWN_DOMAIN}/study-rooms",
    "french": f"https://guides.{OWN_DOMAIN}/fr/ressources-en-francais",
    "news": f"https://www.{OWN_DOMAIN}/news/2026/new-databases",
    "openaccess": f"https://guides.{OWN_DOMAIN}/open-access",
    "patients": f"https://guides.{OWN_DOMAIN}/patient-information",
    "statistics": f"https://guides.{OWN_DOMAIN}/health-statistics",
    "pubmed": f"https://guides.{OWN_DOMAIN}/pubmed",
}
EXTERNAL_LINKS = {
    "flu": "https://www.canada.ca/en/public-health/services/diseases/flu-influenza.html",
    "vaccins": "https://www.canada.ca/fr/sante-publique/services/immunisation-vaccins.html",
    "food": "https://food-guide.canada.ca/en/",
    "handhygiene": "https://www.who.int/campaigns/world-hand-hygiene-day",
    "diabetes": "https://www.who.int/news-room/fact-sheets/detail/diabetes",
    "mentalhealth": "https://www.who.int/news-room/fact-sheets/detail/mental-health-strengthening-our-response",
    "waittimes": "https://www.cihi.ca/en/wait-times-for-priority-procedures-in-canada",
    "workforce": "https://www.cihi.ca/en/health-workforce-in-canada",
    "attente": "https://www.cihi.ca/fr/temps-dattente-pour-les-interventions-prioritaires-au-canada",
}

FIRST_NAMES_EN = (
    "Amira", "Ben", "Chloe", "Dev", "Erin", "Farah", "Gavin", "Hana", "Isaac", "Jess",
    "Kiran", "Liam", "Maya", "Noor", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tara",
    "Uma", "Victor", "Wen", "Yusuf", "Zoe",
)
FIRST_NAMES_FR = (
    "Amélie", "Benoît", "Camille", "Denis", "Élodie", "François", "Geneviève", "Hugo",
    "Inès", "Julien", "Karine", "Louis", "Mélanie", "Nathalie", "Olivier", "Pascale",
    "Rémi", "Sophie", "Thierry", "Valérie",
)
LAST_NAMES = (
    "Abara", "Beaulieu", "Carver", "Desrosiers", "Eastwood", "Fontaine", "Gill", "Halvorsen",
    "Iqbal", "Jarvis", "Kowalczyk", "Lacroix", "Mensah", "Nakamura", "Okafor", "Pelletier",
    "Quenneville", "Rahman", "Sandoval", "Tremblay-Hart", "Underhill", "Vaillancourt",
    "Whitlock", "Xu", "Yilmaz", "Zielinski",
)
USER_ROLES_EN = (
    ("RN", "Registered nurse, Northbrook General. Views my own."),
    ("MD", "Family medicine resident. Coffee and evidence."),
    ("PhD", "PhD candidate in epidemiology at Northbrook U."),
    ("", "Nursing student, class of 2027."),
    ("", "Physiotherapist and lifelong learner."),
    ("PharmD", "Hospital pharmacist. Drug information nerd."),
    ("", "Caregiver, patient partner and health literacy advocate."),
    ("", "Research coordinator, clinical trials unit."),
)
USER_ROLES_FR = (
    ("inf.", "Infirmière clinicienne. Opinions personnelles."),
    ("", "Étudiante en sciences infirmières."),
    ("MD", "Médecin de famille, Northbrook Est."),
    ("", "Chercheur en santé publique."),
    ("", "Proche aidant et patient partenaire."),
)

# Organisations: (username, name, language, posts). Each post is (language, text,
# months when it fits, or () for all year).
ORGANISATION_SPECS = (
    ("NorthbrookPH", "Northbrook Public Health", "en", (
        ("en", "Flu shots are now available at all Northbrook Public Health clinics. Walk-ins welcome Monday to Friday, and bring your health card.", (10, 11, 12)),
        ("en", "Heat warning in effect for Northbrook today and tomorrow. Drink water often, check on older neighbours and never leave anyone in a parked car. #PublicHealth", (6, 7, 8)),
        ("en", "New data: 68% of Northbrook adults report getting enough physical activity, up from 61% in 2022. Full community health report on our site.", ()),
        ("en", "Measles cases are rising in the region. Check your vaccination records and talk to your health care provider if you are not sure. #PublicHealth", (2, 3, 4)),
        ("en", "Free naloxone kits are available at all our clinics and at participating pharmacies. No ID needed.", ()),
        ("fr", "La vaccination contre la grippe est offerte dans toutes nos cliniques. Aucun rendez-vous nécessaire du lundi au vendredi. #SantéPublique", (10, 11, 12)),
        ("fr", "Avertissement de chaleur pour Northbrook aujourd'hui et demain. Buvez de l'eau souvent et prenez des nouvelles de vos proches. #SantéPublique", (6, 7, 8)),
    )),
    ("LakeshoreFHT", "Lakeshore Family Health Team", "en", (
        ("en", "Our diabetes education group starts again in January: six weekly sessions with a dietitian and a nurse educator. Ask your family doctor for a referral.", (11, 12)),
        ("en", "Thank you to everyone who came to our community health fair on Saturday! Over 300 blood pressure checks and 40 new patients registered.", (5, 6, 9)),
        ("en", "Reminder: our clinic is closed on statutory holidays. For urgent care, call Health811 or visit the Northbrook General emergency department.", ()),
        ("en", "Our smoking cessation program is free and starts every month. Nicotine replacement therapy is included.", ()),
    )),
    ("NBUNursing", "Northbrook University School of Nursing", "en", (
        ("en", "Congratulations to the 2026 graduating class of the BScN program! 184 new nurses are ready to care for our communities. #NursingEd", (6,)),
        ("en", "Our simulation lab is now open for evening practice sessions. Book a slot through the student portal. #NursingEd", ()),
        ("en", "Call for abstracts: Northbrook Nursing Research Day 2026. Students and clinicians welcome, deadline March 15.", (1, 2, 3)),
        ("en", "Clinical placement assignments for the winter term are now posted on the student portal.", (11, 12)),
    )),
    ("NBUMedicine", "Northbrook University Faculty of Medicine", "en", (
        ("en", "Welcome to our new family medicine residents! 42 residents start at six teaching sites across the region this week. #MedEd", (7,)),
        ("en", "Grand rounds this Thursday: deprescribing in older adults, with practical cases from our geriatrics team. Hybrid format, all staff welcome.", ()),
        ("en", "Our Indigenous health curriculum now includes a two-week community placement for all second-year students. #MedEd", ()),
        ("en", "Applications for summer research studentships close February 28. Projects in 30+ labs and clinics.", (1, 2)),
    )),
    ("MapleHealthLibs", "Maple Health Libraries Network", "en", (
        ("en", "Registration is open for our spring webinar series on expert searching, AI tools and evidence synthesis. Free for network members. #MedLibs", (2, 3, 4)),
        ("en", "It's #OpenAccessWeek! Our members have helped researchers deposit over 1,200 articles in open repositories this year. #OpenAccess", (10,)),
        ("en", "New shared guide: finding Canadian grey literature for health policy reviews. Written by librarians from 14 member libraries. #MedLibs", ()),
        ("en", "Our annual conference is in Northbrook this June. Call for posters closes in two weeks! #MedLibs", (2, 3)),
    )),
    ("NorthbrookCHC", "Northbrook Community Health Centre", "en", (
        ("en", "Our free income tax clinic helps seniors and newcomers get the benefits they are owed. Appointments in English, French, Arabic and Tagalog.", (2, 3, 4)),
        ("en", "Mental health walk-in counselling is available every Wednesday from 12 to 7 pm. No referral or health card needed.", ()),
        ("en", "Our community kitchen is looking for volunteers on Tuesday and Thursday mornings. Food handler training provided.", ()),
    )),
    ("ReseauSanteNord", "Réseau Santé Nord", "fr", (
        ("fr", "Nouveau répertoire des services de santé en français dans la région de Northbrook. Plus de 120 professionnels y sont inscrits. #SantéPublique", ()),
        ("fr", "Webinaire gratuit le 12 mars : comment parler de santé mentale avec les adolescents. Inscription sur notre site. #LittératieEnSanté", (2, 3)),
        ("fr", "Merci aux bénévoles qui ont accompagné plus de 500 patients francophones cette année dans nos hôpitaux partenaires.", (11, 12)),
        ("fr", "Vous êtes un professionnel de la santé qui parle français? Inscrivez-vous à notre répertoire régional.", ()),
    )),
    ("NorthbrookGen", "Northbrook General Hospital", "en", (
        ("en", "Our new emergency department waiting room opens Monday, with 40% more seating and a dedicated pediatric area.", (5,)),
        ("en", "Visiting hours are changing on the medicine units starting April 1: 8 am to 9 pm, two visitors at a time. Thank you for helping our patients rest.", (3,)),
        ("en", "We are hiring! Registered nurses, respiratory therapists and unit clerks. Full-time and part-time positions available.", ()),
        ("en", "Thank you to our 600 volunteers, who gave more than 45,000 hours to patients and families this year.", (4,)),
    )),
)

EXAM_MONTHS = (4, 12)
FLU_MONTHS = (10, 11, 12, 1, 2)

# Library posts: (language, text, link key or "", hashtags, months when the post fits,
# or () for all year). A link key is resolved by resolve_link, and "{day}" or "{topic}"
# placeholders are filled from the lists below.
ORIGINAL_TEMPLATES = (
    ("en", "Working from home? UpToDate, DynaMed and ClinicalKey all work off campus with your hospital login.", "own:remote", ("MedLibs",), ()),
    ("en", "Need help with a literature search? Book a 30-minute consult with one of our librarians, in person or online.", "own:book", ("EBP",), ()),
    ("en", "Our next workshop, {topic}, runs {day} at noon in room B214 and on Teams. Everyone is welcome.", "own:workshops", ("MedLibs",), ()),
    ("en", "Planning a systematic review? Talk to us before you register your protocol: we can help with the question, the databases and the search strategy.", "own:sysrev", ("SysRev", "EBP"), ()),
    ("en", "New in the collection: {resource}. Available now for all Northbrook staff, students and physicians.", "own:news", (), ()),
    ("en", "Zotero or EndNote? Our updated guide compares the two and shows how to move your references from one to the other.", "own:citations", (), ()),
    ("en", "Can't find the full text? Request it through interlibrary loan & most articles arrive within two business days.", "own:loan", (), ()),
    ("en", "Group study rooms on the 2nd floor can now be booked up to two weeks ahead.", "own:rooms", (), ()),
    ("en", "Looking for plain-language health information for your patients? Our patient information guide lists trusted sources in English and French.", "own:patients", ("HealthLit",), ()),
    ("en", "Open access doesn't have to mean high fees. Our guide explains green OA, read & publish agreements and how to spot predatory journals.", "own:openaccess", ("OpenAccess",), ()),
    ("en", "Where do you find Canadian health statistics? Start with our guide, then ask us if you get stuck.", "own:statistics", (), ()),
    ("en", "Flu season is here. Canada's public health pages have the latest on vaccines, symptoms and when to see a doctor.", "ext:flu", ("PublicHealth",), FLU_MONTHS),
    ("en", "Canada's food guide is a great starting point for patient conversations about healthy eating.", "ext:food", ("HealthLit",), ()),
    ("en", "Clean hands save lives. The WHO campaign page has posters and training material in several languages.", "ext:handhygiene", ("PublicHealth",), (4, 5)),
    ("en", "The WHO fact sheet on diabetes is a clear, well-referenced overview for students.", "ext:diabetes", ("HealthLit",), ()),
    ("en", "New CIHI data on wait times for priority procedures across Canada.", "ext:waittimes", (), ()),
    ("en", "How many nurses, physicians and pharmacists work in each province? CIHI's health workforce data has the numbers.", "ext:workforce", (), ()),
    ("en", "New Cochrane review worth a look for anyone working in {field}.", "cochrane", ("EBP",), ()),
    ("en", "Interesting new study on {field} from a Canadian team, open access.", "pubmed", ("OpenAccess",), ()),
    ("en", "Just published: a trial on {field} that our clinicians have been asking about. Full text through the library.", "pubmed", (), ()),
    ("en", "Reminder: the library is open until 10 pm Monday to Thursday during exams. Quiet floors are on levels 3 and 4.", "", (), EXAM_MONTHS),
    ("en", "Our librarians are at the Northbrook General cafeteria {day} from 11 to 1. Come with your search questions!", "", ("MedLibs",), ()),
    ("en", "Did you know? You can set up PubMed alerts so new articles on your topic land in your inbox every week.", "own:pubmed", ("EBP",), ()),
    ("en", "Thank you to the 40+ residents who came to our evidence-based medicine bootcamp this week!", "", ("MedEd",), (7, 9)),
    ("en", "Quiet study space, fast Wi-Fi, free printing for students & friendly staff. See you at the library!", "", (), ()),
    ("fr", "En télétravail? UpToDate, DynaMed et ClinicalKey sont accessibles hors campus avec votre code d'accès de l'hôpital.", "own:remote", ("BiblioSanté",), ()),
    ("fr", "Besoin d'aide pour une recherche documentaire? Prenez rendez-vous avec une bibliothécaire, en personne ou en ligne.", "own:book", ("BiblioSanté",), ()),
    ("fr", "Notre prochain atelier, {topic_fr}, aura lieu {day_fr} à midi, salle B214 et sur Teams.", "own:workshops", (), ()),
    ("fr", "Vous cherchez de l'information sur la santé en français pour vos patients? Consultez notre guide de ressources.", "own:french", ("LittératieEnSanté",), ()),
    ("fr", "La saison de la grippe est arrivée. Le gouvernement du Canada publie l'information à jour sur la vaccination.", "ext:vaccins", ("SantéPublique",), FLU_MONTHS),
    ("fr", "Nouvelles données de l'ICIS sur les temps d'attente au Canada.", "ext:attente", ("SantéPublique",), ()),
    ("fr", "Nouvelle revue Cochrane sur {field_fr}, disponible en texte intégral.", "cochrane", (), ()),
    ("fr", "Le libre accès, ce n'est pas seulement payer des frais de publication. Notre guide explique les autres options.", "own:openaccess", ("LibreAccès",), ()),
    ("fr", "Rappel : la bibliothèque est ouverte jusqu'à 22 h du lundi au jeudi pendant les examens.", "", (), EXAM_MONTHS),
    ("fr", "Merci aux étudiantes et étudiants venus à notre atelier sur PubMed cette semaine!", "", ("BiblioSanté",), ()),
    ("en", "Welcome, new students! Drop by the service desk for a library card, a Wi-Fi login and a tour of the building.", "", ("MedLibs",), (9,)),
    ("en", "Summer hours start Monday: 8 am to 6 pm on weekdays, closed on weekends. Online resources are available 24/7.", "own:hours", (), (6, 7, 8)),
    ("en", "It's #OpenAccessWeek! Ask us how to publish open access without paying twice.", "own:openaccess", ("OpenAccess",), (10,)),
    ("en", "Our 3D anatomy tables are back on the 2nd floor. Book a 1-hour slot for your study group.", "own:rooms", (), ()),
    ("en", "Writing a thesis? Our graduate research support page covers searching, citing, data management & copyright.", "own:book", (), ()),
    ("en", "Clinicians on nights: our point-of-care tools work around the clock, and you can leave us a search request anytime.", "own:remote", ("MedLibs",), ()),
    ("en", "How reliable is that health website? Five questions to ask before you share it with a patient.", "own:patients", ("HealthLit",), ()),
    ("en", "We now lend laptops for up to 4 hours. Ask at the service desk with your staff or student ID.", "", (), ()),
    ("en", "Mental health resources for students and staff, from self-help books to evidence-based apps, are now in one guide.", "ext:mentalhealth", ("HealthLit",), ()),
    ("fr", "Bienvenue aux nouveaux étudiants! Passez au comptoir pour votre carte de bibliothèque et une visite guidée.", "", ("BiblioSanté",), (9,)),
    ("fr", "C'est la Semaine du libre accès! Demandez-nous comment publier en libre accès sans payer deux fois.", "own:openaccess", ("LibreAccès",), (10,)),
    ("fr", "Nous prêtons maintenant des ordinateurs portables pour 4 heures. Informez-vous au comptoir.", "", (), ()),
    ("fr", "Horaire d'été à partir de lundi : de 8 h à 18 h en semaine, fermé la fin de semaine.", "own:hours", (), (6, 7, 8)),
)
TIP_TEMPLATES = (
    ("en", "Use quotation marks to search for an exact phrase: \"heart failure\" finds far fewer irrelevant results than heart failure.", ("TipTuesday",)),
    ("en", "Truncation saves time: nurs* finds nurse, nurses, nursing and nursery. Check the database's help page, because the symbol varies.", ("TipTuesday",)),
    ("en", "Searching PubMed? Try the MeSH database first to find the right subject heading for your topic.", ("TipTuesday", "EBP")),
    ("en", "Filters for study type (RCT, systematic review) are on the left of PubMed's results page.", ("TipTuesday",)),
    ("en", "Keep a search log: databases, dates, terms and number of results. Your future self (and your reviewers) will thank you.", ("TipTuesday", "SysRev")),
    ("en", "Combine synonyms with OR and concepts with AND: (teen OR adolescent) AND (vaping OR e-cigarette).", ("TipTuesday",)),
    ("en", "Not sure a journal is legitimate? Check whether it is indexed in MEDLINE or listed in DOAJ before you submit.", ("TipTuesday", "OpenAccess")),
    ("en", "Google Scholar can show links to our full text: add Northbrook Health Sciences Library under Settings > Library links.", ("TipTuesday",)),
    ("fr", "Utilisez les guillemets pour chercher une expression exacte : \"insuffisance cardiaque\".", ("AstuceDuMardi",)),
    ("fr", "La troncature fait gagner du temps : infirmi* trouve infirmier, infirmière et infirmières.", ("AstuceDuMardi",)),
    ("fr", "Combinez les synonymes avec OU et les concepts avec ET dans vos recherches documentaires.", ("AstuceDuMardi",)),
)
# Threads: (language, posts, months when the thread fits, or () for all year).
THREAD_SCRIPTS = (
    ("en", (
        "How to start a literature search in five steps 🧵",
        "1. Turn your question into PICO: patient or population, intervention, comparison, outcome.",
        "2. List synonyms for each concept, including spelling variants and the subject headings (MeSH) the databases use.",
        "3. Combine synonyms with OR and concepts with AND, then test the search and adjust. Still stuck? Book a consult with us.",
    ), ()),
    ("en", (
        "Thinking about a systematic review? A few things we wish every team knew before starting 🧵",
        "Check PROSPERO and the Cochrane Library first: someone may already be doing your review.",
        "Budget time: a thorough search and screening often take three to six months for a small team.",
    ), ()),
    ("en", (
        "Predatory journals are sending more invitations than ever. How to spot one:",
        "Promises of peer review in days, vague editorial boards, and fees that only appear after acceptance.",
        "Not sure? Send us the journal name and we'll check it for you.",
    ), ()),
    ("en", (
        "Our holiday hours are now posted. Quick summary 🧵",
        "Dec 24: open 8 am to noon. Dec 25 and 26: closed. Dec 27 to 30: 9 am to 5 pm.",
        "Dec 31: 8 am to noon. Jan 1: closed. Online resources stay available 24/7.",
    ), (12,)),
    ("fr", (
        "Comment bien commencer une recherche documentaire 🧵",
        "1. Formulez votre question avec le modèle PICO : population, intervention, comparaison, résultat.",
        "2. Trouvez des synonymes et les descripteurs (MeSH) pour chaque concept, puis combinez-les avec OU et ET.",
    ), ()),
    ("fr", (
        "Nos heures d'ouverture pour les fêtes sont maintenant en ligne 🧵",
        "24 décembre : 8 h à midi. 25 et 26 décembre : fermé. Les ressources en ligne restent accessibles en tout temps.",
    ), (12,)),
    ("en", (
        "New to evidence-based practice? Here's the 5-minute version 🧵",
        "Ask a focused clinical question, find the best evidence, appraise it, apply it with your patient, and evaluate the result.",
        "Point-of-care tools like DynaMed cover steps 2 and 3 for many common questions. We can show you how.",
    ), ()),
)
QUOTE_COMMENTS = (
    ("en", "Great resource from our partners."),
    ("en", "Worth sharing with your patients 👇"),
    ("en", "Useful for anyone teaching or learning in this area."),
    ("en", "Congratulations! We're proud to support this work."),
    ("en", "Our librarians can help you find the evidence behind this."),
    ("fr", "Une belle initiative de nos partenaires."),
    ("fr", "À partager avec vos patients francophones 👇"),
)
WORKSHOP_TOPICS = (
    "PubMed basics", "Searching CINAHL for nursing research", "Zotero in one hour",
    "Finding grey literature", "AI tools for literature searching", "Evidence summaries at the bedside",
)
WORKSHOP_TOPICS_FR = ("Les bases de PubMed", "Zotero en une heure", "Trouver la littérature grise")
RESOURCES = (
    "Covidence for systematic review screening", "the BMJ Best Practice point-of-care tool",
    "JoVE science videos", "the Lexicomp drug database", "Ovid Emcare for nursing research",
    "the latest edition of Harrison's Principles of Internal Medicine online",
)
FIELDS_EN = (
    "falls prevention in older adults", "pediatric asthma", "deprescribing", "sepsis care",
    "pressure injuries", "postpartum depression", "antimicrobial stewardship", "chronic pain",
)
FIELDS_FR = ("la prévention des chutes", "l'asthme chez l'enfant", "la douleur chronique")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")

# Long posts stored in note-tweet.js: (date, language, text, link key). "{link}" marks
# where the t.co link goes.
NOTE_POSTS = (
    (datetime(2026, 1, 14, 15, 5, 12, 318000, tzinfo=timezone.utc), "en",
     "We are changing how article requests work this winter, and we want you to hear it from us first. "
     "Starting February 2, interlibrary loan requests go through one form on our website instead of e-mail. "
     "You will get a tracking number, an estimated delivery date and a message when your article is ready. "
     "Most articles will still arrive within two business days, and rush requests for patient care stay free. "
     "If you have saved searches or alerts that send requests by e-mail, we can help you update them. "
     "Questions? Reply here, drop by the service desk or book a short call with a librarian: {link} #MedLibs",
     "own:loan"),
    (datetime(2026, 5, 20, 14, 30, 45, 77000, tzinfo=timezone.utc), "fr",
     "Nous avons une bonne nouvelle pour les équipes de recherche francophones de la région. "
     "À partir de juin, la bibliothèque offre un service de soutien aux revues systématiques entièrement en français : "
     "formulation de la question, choix des bases de données, stratégie de recherche, gestion des références et "
     "rédaction de la section méthodologique. Les consultations se font en personne ou sur Teams, et la première "
     "rencontre est gratuite pour tout le personnel et les étudiants. Écrivez-nous pour prendre rendez-vous. #BiblioSanté",
     ""),
    (datetime(2026, 10, 20, 16, 0, 3, 512000, tzinfo=timezone.utc), "en",
     "It's #OpenAccessWeek, so here is what open access looked like at Northbrook this year. "
     "Our read and publish agreements covered the article fees for 212 papers by Northbrook authors, "
     "saving research teams an estimated $480,000. Another 95 papers were deposited in the university repository, "
     "so anyone can read them for free. If you are about to submit a paper, check our guide first: your fees may already "
     "be covered, and we can check a journal for you before you send it anything. {link} #OpenAccess",
     "own:openaccess"),
)
# Posts that were edited once: (time, first version, corrected version, minutes to the edit).
EDITED_POSTS = (
    (datetime(2026, 2, 9, 14, 12, 40, 204000, tzinfo=timezone.utc),
     "Reminder: the library closes at 5 pm on Friday, February 14 for staff training. Online resources stay availble.",
     "Reminder: the library closes at 5 pm on Friday, February 13 for staff training. Online resources stay available.",
     6),
    (datetime(2026, 9, 16, 17, 45, 2, 950000, tzinfo=timezone.utc),
     "Our PubMed workshop is moving to room B124 this Thursday.",
     "Our PubMed workshop is moving to room B214 this Thursday. Same time, same Teams link.",
     11),
)
# Posts deleted within the 14 days before the export, which is what deleted-tweets.js contains:
# (created, deleted, language, text, link key or "").
DELETED_POSTS = (
    (datetime(2026, 11, 17, 15, 30, 11, 402000, tzinfo=timezone.utc),
     datetime(2026, 11, 24, 13, 2, 55, tzinfo=timezone.utc),
     "en", "Our Zotero workshop is now on Dec 3 at noon. Register on our site.", "own:workshops"),
    (datetime(2026, 11, 25, 14, 0, 9, 18000, tzinfo=timezone.utc),
     datetime(2026, 11, 25, 14, 4, 30, tzinfo=timezone.utc),
     "en", "Test post please ignore", ""),
)

# Questions by topic: (topic, language, text). ANSWER_TEMPLATES has the library's reply for each topic.
QUESTION_TEMPLATES = (
    ("remote", "en", "Do you have access to UpToDate from home?"),
    ("remote", "en", "Is there a way to get into CINAHL off campus? My login keeps failing"),
    ("remote", "fr", "Comment accéder à CINAHL à distance?"),
    ("hours", "fr", "Est-ce que la bibliothèque est ouverte samedi?"),
    ("hours", "fr", "c'est-tu ouvert le dimanche?"),
    ("hours", "en", "Are you open on Saturday during exams?"),
    ("hours", "en", "What are your hours over the holidays?"),
    ("consult", "en", "How can I book a literature search consult?"),
    ("consult", "fr", "Pouvez-vous m'aider avec une recherche?"),
    ("consult", "en", "Can a librarian help with the search for my scoping review?"),
    ("loan", "en", "Can I get an article through interlibrary loan if you don't have it?"),
    ("loan", "fr", "Est-ce que je peux commander un article d'une autre bibliothèque?"),
    ("citations", "en", "Which citation manager do you support, Zotero or EndNote?"),
    ("rooms", "en", "How do I book a group study room?"),
    ("rooms", "fr", "Comment réserver une salle de travail en équipe?"),
    ("statistics", "en", "Looking for stats on ER wait times in Ontario, any idea where to start"),
    ("french", "fr", "Avez-vous des ressources en français sur le diabète pour les patients?"),
    ("alumni", "en", "Do alumni keep database access after graduation?"),
    ("covidence", "en", "Does the library have a Covidence licence for systematic reviews?"),
)
# Questions asked in reply to a library post. Workshop questions only follow workshop posts.
REPLY_QUESTION_TEMPLATES = (
    ("more", "en", "Where can I find more on this?"),
    ("more", "en", "Is there a guide on this I can share with my team?"),
    ("more", "fr", "Où puis-je trouver plus d'information là-dessus?"),
    ("french", "en", "Is this available in French too?"),
)
WORKSHOP_QUESTION_TEMPLATES = (
    ("recording", "en", "Will the session be recorded?"),
    ("recording", "en", "Is this open to students from other programs?"),
    ("recording", "fr", "Est-ce que l'atelier sera enregistré?"),
)
ANSWER_TEMPLATES = {
    ("remote", "en"): ("Yes! Sign in with your hospital ID through our remote access page and it works from anywhere.", "own:remote"),
    ("remote", "fr"): ("Oui! Connectez-vous avec votre code de l'hôpital sur notre page d'accès à distance.", "own:remote"),
    ("hours", "en"): ("We're open 10 am to 6 pm on weekends during exams. Full hours here:", "own:hours"),
    ("hours", "fr"): ("Oui, de 10 h à 18 h la fin de semaine pendant les examens. Tous nos horaires :", "own:hours"),
    ("consult", "en"): ("Absolutely. Book a consult with a librarian here and we'll get back to you within a day:", "own:book"),
    ("consult", "fr"): ("Avec plaisir! Prenez rendez-vous avec une bibliothécaire ici :", "own:book"),
    ("loan", "en"): ("Yes, request it through interlibrary loan & most articles arrive in two business days.", "own:loan"),
    ("loan", "fr"): ("Oui, faites une demande de prêt entre bibliothèques ici :", "own:loan"),
    ("citations", "en"): ("Both! We teach Zotero most often because it's free. Our guide compares them:", "own:citations"),
    ("citations", "fr"): ("Les deux! Notre guide compare Zotero et EndNote :", "own:citations"),
    ("rooms", "en"): ("You can book a room up to two weeks ahead here:", "own:rooms"),
    ("rooms", "fr"): ("Vous pouvez réserver jusqu'à deux semaines à l'avance ici :", "own:rooms"),
    ("statistics", "en"): ("CIHI is the best place to start, and our statistics guide lists other sources:", "own:statistics"),
    ("statistics", "fr"): ("L'ICIS est un bon point de départ. Notre guide présente d'autres sources :", "own:statistics"),
    ("french", "fr"): ("Oui! Notre guide de ressources en français a une section sur le diabète :", "own:french"),
    ("french", "en"): ("Yes, our French-language resources guide has a section on diabetes:", "own:french"),
    ("alumni", "en"): ("Alumni keep access to PubMed and our open resources, and you can still use everything on site.", ""),
    ("alumni", "fr"): ("Les diplômés gardent l'accès à PubMed et peuvent tout consulter sur place.", ""),
    ("covidence", "en"): ("Yes, we have an institutional Covidence licence. Details in our systematic review guide:", "own:sysrev"),
    ("covidence", "fr"): ("Oui, nous avons une licence Covidence. Détails dans notre guide :", "own:sysrev"),
    ("more", "en"): ("Our subject guides go further, and a librarian can help you dig deeper:", "own:book"),
    ("more", "fr"): ("Nos guides thématiques vont plus loin, et une bibliothécaire peut vous aider :", "own:book"),
    ("recording", "en"): ("Yes, the recording will be on our workshops page within a week.", "own:workshops"),
    ("recording", "fr"): ("Oui, l'enregistrement sera sur notre page des ateliers d'ici une semaine.", "own:workshops"),
}
THANKS_TEMPLATES = (
    ("en", "@{handle} thank you so much for the help with my search strategy yesterday!"),
    ("en", "@{handle} thanks for the quick answer, really appreciated"),
    ("fr", "Merci @{handle} pour l'atelier sur PubMed!"),
    ("fr", "@{handle} merci beaucoup pour votre aide 🙏"),
)
FOLLOW_UP_TEMPLATES = (
    ("en", "@{handle} thanks, that worked!"),
    ("en", "@{handle} perfect, thank you 🙌"),
    ("fr", "@{handle} super, merci!"),
)
SHOUT_OUT_TEMPLATES = (
    ("en", "Shout-out to @{handle} for the excellent session on evidence-based practice today #MedLibs"),
    ("en", "Big thanks to the team at @{handle} 🙌 Couldn't have finished my capstone without them #HealthLit"),
    ("en", "If you work at Northbrook and haven't met the librarians at @{handle} yet, you're missing out"),
    ("fr", "Bravo à l'équipe de @{handle} pour leur excellent guide en français #LittératieEnSanté"),
)
QUOTE_MENTION_TEMPLATES = (
    ("en", "Great resource from @{handle} for our residents"),
    ("en", "Saving this one, thanks @{handle}"),
    ("fr", "Très utile, merci @{handle}"),
)
LINK_ONLY_URLS = (
    "https://pubmed.ncbi.nlm.nih.gov/{number}/",
    "https://www.who.int/news-room/fact-sheets/detail/diabetes",
    "https://www.cihi.ca/en/health-workforce-in-canada",
)
