"""The demo site's texts, in French with English translations of the main pages.

Facts come from public information about the field (structures, figures, rules); every
person and contact is invented. `refs` maps keys to the ids of documents, images and
pages created before the text that points to them.
"""

from .blocks import callout, cards, document, faq, figures, heading, image, para, quote, table

ORGANISATION = {
    "organisation_name": "Réseau des facilitateurs des clauses sociales",
    "address": "12 rue de l'Exemple\n13002 Marseille",
    "email": "contact@example.org",
    "phone": "01 00 00 00 00",
}

HOME = {
    "fr": {
        "title": "Accueil",
        "hero_title": "Les achats publics au service de l'emploi local",
        "intro": (
            "<p>Quand un acheteur public inscrit une <b>clause sociale d'insertion</b> dans ses "
            "marchés, l'entreprise qui les remporte réserve une partie des heures de travail à des "
            "personnes éloignées de l'emploi. Les facilitateurs du réseau aident les acheteurs à "
            "calibrer la clause, les entreprises à recruter, et comptent les heures réalisées.</p>"
        ),
        "search_description": (
            "Portail du réseau des facilitateurs des clauses sociales d'insertion : comprendre la "
            "clause, actualités, résultats annuels, guides et modèles."
        ),
    },
    "en": {
        "title": "Home",
        "hero_title": "Public procurement working for local jobs",
        "intro": (
            "<p>When a public buyer writes a <b>social insertion clause</b> into its contracts, "
            "the winning company reserves part of the work hours for people far from employment. "
            "The network's facilitators help buyers size the clause, help companies recruit, "
            "and count the hours done.</p>"
        ),
        "search_description": (
            "Portal of the network of social-clause facilitators: understanding the clause, news, "
            "yearly results, guides and templates."
        ),
    },
}

# ---------------------------------------------------------------------------------------
# Explainer pages
# ---------------------------------------------------------------------------------------

EXPLAINER_INDEX = {
    "fr": {
        "slug": "comprendre",
        "title": "Comprendre les clauses sociales",
        "intro": (
            "Ce qu'est un achat responsable, comment fonctionne la clause d'insertion, à qui elle "
            "profite et comment un facilitateur vous accompagne."
        ),
        "body": (
            "<p>Six fiches courtes, à lire dans l'ordre ou selon votre question. Pour passer à "
            "l'action, l'annuaire vous donne le facilitateur de votre commune et le calculateur "
            "une première estimation des heures d'insertion de votre marché.</p>"
        ),
    },
    "en": {
        "slug": "understanding-social-clauses",
        "title": "Understanding social clauses",
        "intro": (
            "What a responsible purchase is, how the insertion clause works, who benefits and "
            "how a facilitator helps you."
        ),
        "body": (
            "<p>Six short pages, to read in order or by question. To act, the directory gives "
            "you the facilitator of your commune and the calculator a first estimate of your "
            "contract's insertion hours.</p>"
        ),
    },
}


def explainer_pages(refs):
    """The six explainer pages, each as {"fr": {...}, "en": {...}}."""
    return [
        {
            "fr": {
                "slug": "achat-responsable",
                "title": "Qu'est-ce qu'un achat responsable ?",
                "intro": (
                    "Acheter de façon responsable, c'est utiliser la commande publique pour servir "
                    "aussi l'emploi local, l'environnement et l'économie sociale et solidaire."
                ),
                "body": [
                    para(
                        "<p>Chaque année, les collectivités, l'État, les hôpitaux et les bailleurs "
                        "sociaux passent des milliers de marchés : construire une école, "
                        "entretenir "
                        "des espaces verts, nettoyer des bureaux. Un <b>achat socialement "
                        "responsable</b> profite de ces dépenses, qui auront lieu de toute façon, "
                        "pour ouvrir des emplois à des personnes qui en sont éloignées.</p>"
                    ),
                    heading("Les outils de l'acheteur"),
                    para(
                        "<ul><li>la <b>clause d'insertion</b> comme condition d'exécution : "
                        "l'entreprise titulaire réserve un volume d'heures à des publics "
                        "prioritaires ;</li><li>la clause comme <b>critère d'attribution</b>, pour "
                        "comparer la qualité des propositions d'insertion ;</li><li>les "
                        "<b>marchés réservés</b> aux structures d'insertion par l'activité "
                        "économique ou aux entreprises adaptées ;</li><li>les marchés "
                        "<b>d'insertion</b>, dont l'objet même est l'accompagnement vers "
                        "l'emploi.</li></ul>"
                    ),
                    callout(
                        "Un schéma pour s'engager",
                        "<p>Les grands acheteurs publics adoptent un schéma de promotion des "
                        "achats socialement et écologiquement responsables (SPASER), qui fixe "
                        "leurs objectifs pour plusieurs années.</p>",
                    ),
                    quote(
                        "La clause ne coûte presque rien à l'acheteur : les heures étaient déjà "
                        "dans le marché. Elle change tout pour la personne qui les fait.",
                        "Claire Exemple",
                        "facilitatrice (personne fictive)",
                    ),
                ],
            },
            "en": {
                "slug": "responsible-purchasing",
                "title": "What is responsible purchasing?",
                "intro": (
                    "Purchasing responsibly means using public procurement to also serve local "
                    "jobs, the environment and the social and solidarity economy."
                ),
                "body": [
                    para(
                        "<p>Every year, local authorities, the State, hospitals and social "
                        "landlords award thousands of contracts: building a school, maintaining "
                        "green spaces, cleaning offices. A <b>socially responsible purchase</b> "
                        "uses this spending, which happens anyway, to open jobs to people who are "
                        "far from employment.</p>"
                    ),
                    heading("The buyer's tools"),
                    para(
                        "<ul><li>the <b>insertion clause</b> as a performance condition: the "
                        "winning company reserves a number of hours for priority groups;</li>"
                        "<li>the clause as an <b>award criterion</b>, to compare the quality of "
                        "insertion proposals;</li><li>contracts <b>reserved</b> for work "
                        "integration social enterprises or sheltered companies;</li><li>"
                        "<b>insertion contracts</b>, whose very purpose is support towards "
                        "employment.</li></ul>"
                    ),
                    callout(
                        "A plan to commit",
                        "<p>Large public buyers adopt a plan for socially and ecologically "
                        "responsible purchasing (SPASER) that sets their goals for several "
                        "years.</p>",
                    ),
                    quote(
                        "The clause costs the buyer almost nothing: the hours were already in the "
                        "contract. It changes everything for the person who works them.",
                        "Claire Exemple",
                        "facilitator (fictitious person)",
                    ),
                ],
            },
        },
        {
            "fr": {
                "slug": "clause-insertion",
                "title": "La clause sociale d'insertion",
                "intro": (
                    "Un volume d'heures de travail réservé, dans un marché public, à des "
                    "personnes qui ont des difficultés d'accès à l'emploi."
                ),
                "body": [
                    figures(
                        "Repères",
                        [
                            ("5 %", "des heures : le taux le plus courant"),
                            ("833 h", "pour 1 M€ de travaux de maçonnerie"),
                            ("200 000 €", "seuil fréquent à partir duquel la clause s'applique"),
                        ],
                    ),
                    heading("Comment la clause est calibrée"),
                    para(
                        "<p>Le facilitateur estime avec l'acheteur le nombre d'heures à "
                        "réserver :</p><p><b>heures = montant HT × part de main-d'œuvre × taux "
                        "d'insertion ÷ coût horaire chargé</b></p>"
                    ),
                    callout(
                        "Exemple",
                        "<p>1 000 000 € de travaux de maçonnerie, part de main-d'œuvre 50 %, taux "
                        "5 %, coût horaire 30 € : 1 000 000 × 50 % × 5 % ÷ 30 ≈ <b>833 "
                        "heures</b>, soit environ 5,5 mois de travail à temps plein.</p>",
                    ),
                    table(
                        "Parts de main-d'œuvre habituelles par type de travaux",
                        ["Lot ou prestation", "Part de main-d'œuvre"],
                        [
                            ("Peinture", "70 %"),
                            ("Maçonnerie, gros œuvre", "50 %"),
                            ("Charpente métallique", "20 %"),
                            ("Nettoyage", "80 %"),
                            ("Espaces verts", "70 %"),
                        ],
                        "Ordres de grandeur utilisés par les facilitateurs ; à ajuster marché par "
                        "marché.",
                    ),
                    heading("Comment l'entreprise réalise les heures"),
                    para(
                        "<ul><li>en <b>embauchant</b> directement une personne éligible ;</li>"
                        "<li>en <b>sous-traitant</b> une partie des travaux à une entreprise "
                        "d'insertion ;</li><li>en faisant appel à une <b>entreprise de travail "
                        "temporaire d'insertion</b> ou à un <b>groupement d'employeurs</b> "
                        "(GEIQ) ;</li><li>en accueillant des salariés mis à disposition par une "
                        "association intermédiaire.</li></ul>"
                    ),
                    document(
                        refs["documents"]["hours-statement"],
                        "Modèle de relevé mensuel des heures",
                        "À remplir chaque mois par l'entreprise titulaire.",
                    ),
                    faq(
                        "Questions fréquentes",
                        [
                            (
                                "La clause est-elle obligatoire ?",
                                "<p>Non, c'est un choix de l'acheteur. Certains programmes "
                                "l'imposent toutefois, comme le renouvellement urbain (ANRU), "
                                "qui exige 5 % des heures de travaux.</p>",
                            ),
                            (
                                "Et si l'entreprise ne réalise pas les heures ?",
                                "<p>Le marché peut prévoir des pénalités. En pratique, le "
                                "facilitateur alerte tôt et propose des solutions : candidats, "
                                "sous-traitance, mise à disposition.</p>",
                            ),
                            (
                                "Qui vérifie que les personnes sont éligibles ?",
                                "<p>Le facilitateur valide l'éligibilité de chaque candidat "
                                "avant son embauche, puis comptabilise les heures déclarées.</p>",
                            ),
                        ],
                    ),
                ],
            },
            "en": {
                "slug": "insertion-clause",
                "title": "The social insertion clause",
                "intro": (
                    "A number of work hours reserved, in a public contract, for people who find "
                    "it hard to get a job."
                ),
                "body": [
                    figures(
                        "Key facts",
                        [
                            ("5%", "of hours: the most common rate"),
                            ("833 h", "for €1M of masonry works"),
                            ("€200,000", "a common threshold above which the clause applies"),
                        ],
                    ),
                    heading("How the clause is sized"),
                    para(
                        "<p>The facilitator and the buyer estimate the hours to reserve:</p>"
                        "<p><b>hours = amount excl. VAT × labour share × insertion rate ÷ loaded "
                        "hourly cost</b></p>"
                    ),
                    callout(
                        "Example",
                        "<p>€1,000,000 of masonry works, labour share 50%, rate 5%, hourly cost "
                        "€30: 1,000,000 × 50% × 5% ÷ 30 ≈ <b>833 hours</b>, about 5.5 months of "
                        "full-time work.</p>",
                    ),
                    table(
                        "Usual labour shares by type of work",
                        ["Lot or service", "Labour share"],
                        [
                            ("Painting", "70%"),
                            ("Masonry, structural work", "50%"),
                            ("Steel frame", "20%"),
                            ("Cleaning", "80%"),
                            ("Green spaces", "70%"),
                        ],
                        "Orders of magnitude used by facilitators; adjust contract by contract.",
                    ),
                    heading("How the company delivers the hours"),
                    para(
                        "<ul><li>by <b>hiring</b> an eligible person directly;</li><li>by "
                        "<b>subcontracting</b> part of the work to an insertion enterprise;</li>"
                        "<li>through an <b>insertion temp agency</b> or an <b>employers' "
                        "group</b> (GEIQ);</li><li>by taking staff made available by an "
                        "intermediary association.</li></ul>"
                    ),
                    document(
                        refs["documents"]["hours-statement"],
                        "Monthly hours statement template (in French)",
                        "Filled in every month by the company holding the contract.",
                    ),
                    faq(
                        "Frequently asked questions",
                        [
                            (
                                "Is the clause compulsory?",
                                "<p>No, it is the buyer's choice. Some programmes require it, "
                                "such as urban renewal (ANRU), which demands 5% of works "
                                "hours.</p>",
                            ),
                            (
                                "What if the company does not deliver the hours?",
                                "<p>The contract may provide for penalties. In practice the "
                                "facilitator warns early and offers solutions: candidates, "
                                "subcontracting, staff provision.</p>",
                            ),
                            (
                                "Who checks that people are eligible?",
                                "<p>The facilitator validates each candidate's eligibility "
                                "before hiring, then counts the declared hours.</p>",
                            ),
                        ],
                    ),
                ],
            },
        },
        {
            "fr": {
                "slug": "publics",
                "title": "Les publics bénéficiaires",
                "intro": "À qui sont réservées les heures d'insertion.",
                "body": [
                    para(
                        "<p>Les heures sont réservées à des personnes qui rencontrent des "
                        "difficultés sociales ou professionnelles particulières, notamment :</p>"
                        "<ul><li>les demandeurs d'emploi de longue durée (plus de 12 mois) ;</li>"
                        "<li>les bénéficiaires de minima sociaux (RSA, ASS, AAH) ;</li>"
                        "<li>les jeunes de moins de 26 ans sans qualification ou sans "
                        "expérience ;</li><li>les travailleurs reconnus handicapés (RQTH) ;</li>"
                        "<li>les personnes de plus de 50 ans sans emploi ;</li><li>les salariés "
                        "d'une structure d'insertion par l'activité économique (SIAE) ;</li>"
                        "<li>d'autres personnes dont la situation est validée par le "
                        "facilitateur.</li></ul>"
                    ),
                    callout(
                        "Vous cherchez un emploi ?",
                        "<p>Parlez-en à votre conseiller (France Travail, Mission locale, Cap "
                        "emploi, PLIE) : il peut vous orienter vers les offres liées aux "
                        "clauses.</p>",
                    ),
                ],
            },
            "en": {
                "slug": "target-groups",
                "title": "Who benefits",
                "intro": "Who the insertion hours are reserved for.",
                "body": [
                    para(
                        "<p>The hours are reserved for people facing particular social or "
                        "professional difficulties, in particular:</p><ul><li>long-term job "
                        "seekers (over 12 months);</li><li>people on minimum social benefits "
                        "(RSA, ASS, AAH);</li><li>young people under 26 without qualification or "
                        "experience;</li><li>workers recognised as disabled (RQTH);</li><li>people "
                        "over 50 without work;</li><li>employees of a work integration structure "
                        "(SIAE);</li><li>other people whose situation the facilitator "
                        "validates.</li></ul>"
                    ),
                    callout(
                        "Looking for a job?",
                        "<p>Talk to your adviser (France Travail, Mission locale, Cap emploi, "
                        "PLIE): they can direct you to jobs created by the clauses.</p>",
                    ),
                ],
            },
        },
        {
            "fr": {
                "slug": "secteurs",
                "title": "Les secteurs concernés",
                "intro": "Des chantiers de travaux publics aux prestations de services.",
                "body": [
                    heading("Le bâtiment et les travaux publics"),
                    para(
                        "<p>Constructions neuves, réhabilitation de logements, voirie, réseaux "
                        "d'assainissement, rénovation urbaine : c'est le secteur historique de la "
                        "clause.</p>"
                    ),
                    heading("Les services"),
                    para(
                        "<p>Nettoyage, espaces verts, collecte des déchets, restauration "
                        "collective, gardiennage, déménagement, informatique, médiation sociale : "
                        "les marchés de services représentent une part croissante des heures, "
                        "et plus de la moitié dans certaines métropoles.</p>"
                    ),
                    heading("Les prestations intellectuelles"),
                    para(
                        "<p>Études, ingénierie, numérique : la clause s'y développe, souvent "
                        "comme critère d'attribution ou par des parcours de formation.</p>"
                    ),
                ],
            },
            "en": {
                "slug": "sectors",
                "title": "Sectors concerned",
                "intro": "From public works sites to service contracts.",
                "body": [
                    heading("Building and public works"),
                    para(
                        "<p>New buildings, housing refurbishment, roads, sewer networks, urban "
                        "renewal: this is the clause's historical sector.</p>"
                    ),
                    heading("Services"),
                    para(
                        "<p>Cleaning, green spaces, waste collection, catering, security, "
                        "removals, IT, social mediation: service contracts account for a growing "
                        "share of hours, more than half in some metropolitan areas.</p>"
                    ),
                    heading("Intellectual services"),
                    para(
                        "<p>Studies, engineering, digital services: the clause is spreading "
                        "there, often as an award criterion or through training paths.</p>"
                    ),
                ],
            },
        },
        {
            "fr": {
                "slug": "benefices",
                "title": "Ce que la clause apporte",
                "intro": "Aux personnes, aux entreprises et aux acheteurs.",
                "body": [
                    faq(
                        "",
                        [
                            (
                                "Pour les personnes",
                                "<p>Une expérience professionnelle réelle, un salaire, des "
                                "compétences reconnues et, six mois après, souvent un emploi "
                                "durable ou une formation qualifiante.</p>",
                            ),
                            (
                                "Pour les entreprises",
                                "<p>Des candidats repérés et accompagnés, des recrutements sur "
                                "des métiers en tension, et un engagement social qu'elles "
                                "peuvent valoriser.</p>",
                            ),
                            (
                                "Pour les acheteurs",
                                "<p>Une politique d'emploi local sans coût supplémentaire "
                                "notable, et des résultats mesurés chaque année.</p>",
                            ),
                        ],
                    ),
                ],
            },
            "en": {
                "slug": "benefits",
                "title": "What the clause brings",
                "intro": "To people, companies and buyers.",
                "body": [
                    faq(
                        "",
                        [
                            (
                                "For people",
                                "<p>Real work experience, a wage, recognised skills and, six "
                                "months later, often a lasting job or a qualifying "
                                "training.</p>",
                            ),
                            (
                                "For companies",
                                "<p>Candidates who are identified and supported, hires in "
                                "trades short of staff, and a social commitment they can "
                                "show.</p>",
                            ),
                            (
                                "For buyers",
                                "<p>A local employment policy at almost no extra cost, with "
                                "results measured every year.</p>",
                            ),
                        ],
                    ),
                ],
            },
        },
        {
            "fr": {
                "slug": "facilitateur",
                "title": "Le rôle du facilitateur",
                "intro": (
                    "Un interlocuteur unique, employé par une structure locale (PLIE, Maison de "
                    "l'emploi, collectivité, association), au service des acheteurs, des "
                    "entreprises et des personnes."
                ),
                "body": [
                    image(
                        refs["images"]["worksite"],
                        "",
                        "Sur un chantier, une partie des heures est réservée à des personnes en "
                        "insertion.",
                        "Illustration du portail",
                    ),
                    heading("Avant le marché"),
                    para(
                        "<p>Il aide l'acheteur à repérer les marchés adaptés, à calibrer les "
                        "heures et à rédiger les pièces du marché.</p>"
                    ),
                    heading("Pendant le marché"),
                    para(
                        "<p>Il explique le dispositif à l'entreprise titulaire, propose des "
                        "candidats avec le réseau local de l'emploi, valide leur éligibilité et "
                        "suit les heures réalisées.</p>"
                    ),
                    heading("Après le marché"),
                    para(
                        "<p>Il rend compte des résultats à l'acheteur et suit le parcours des "
                        "personnes six mois plus tard.</p>"
                    ),
                    callout(
                        "Le chef de file",
                        "<p>Quand plusieurs facilitateurs interviennent sur un territoire, l'un "
                        "d'eux est désigné <b>chef de file</b> pour un territoire ou pour un "
                        "donneur d'ordre : c'est lui que l'acheteur contacte en premier.</p>",
                        "important",
                    ),
                ],
            },
            "en": {
                "slug": "facilitator",
                "title": "What a facilitator does",
                "intro": (
                    "A single contact, employed by a local structure (PLIE, Maison de l'emploi, "
                    "local authority, association), working for buyers, companies and people."
                ),
                "body": [
                    image(
                        refs["images"]["worksite"],
                        "",
                        "On a building site, part of the hours is reserved for people on an "
                        "insertion path.",
                        "Portal illustration",
                    ),
                    heading("Before the contract"),
                    para(
                        "<p>They help the buyer spot suitable contracts, size the hours and "
                        "draft the contract documents.</p>"
                    ),
                    heading("During the contract"),
                    para(
                        "<p>They explain the scheme to the winning company, put forward "
                        "candidates with the local employment network, validate their "
                        "eligibility and track the hours done.</p>"
                    ),
                    heading("After the contract"),
                    para(
                        "<p>They report results to the buyer and follow people's paths six "
                        "months later.</p>"
                    ),
                    callout(
                        "The lead facilitator",
                        "<p>When several facilitators work on one territory, one of them is "
                        "designated <b>lead facilitator</b> (chef de file) for a territory or a "
                        "buyer: the buyer contacts them first.</p>",
                        "important",
                    ),
                ],
            },
        },
    ]


def home_cards(language, pages):
    """Link cards to the explainer pages, for the home page (titles come from the pages)."""
    title = {"fr": "Comprendre la clause sociale", "en": "Understanding the social clause"}
    return cards(title[language], [(page.pk, "", "") for page in pages])


DIRECTORY = {
    "fr": {
        "slug": "annuaire",
        "title": "Annuaire",
        "intro": (
            "<p>Qui accompagne les clauses sociales près de chez vous : les facilitateurs par "
            "département, le chef de file de chaque commune, et les zones blanches que personne "
            "ne couvre encore.</p>"
        ),
    },
    "en": {
        "slug": "directory",
        "title": "Directory",
        "intro": (
            "<p>Who supports social clauses near you: facilitators by département, the lead "
            "facilitator of each commune, and the white zones nobody covers yet.</p>"
        ),
    },
}

MAP = {
    "fr": {
        "slug": "trouver-mon-facilitateur",
        "title": "Trouver mon facilitateur",
        "intro": (
            "<p>Indiquez où seront exécutés vos travaux ou votre service : la commune, son code "
            "postal ou l'adresse du chantier. Nous vous disons quel facilitateur vous accompagne, "
            "qui est le chef de file, et où sont les zones blanches.</p>"
        ),
    },
    "en": {
        "slug": "find-my-facilitator",
        "title": "Find my facilitator",
        "intro": (
            "<p>Tell us where your works or service will take place: the commune, its postal "
            "code or the site's address. We tell you which facilitator supports you, who the lead "
            "is, and where the white zones are.</p>"
        ),
    },
}

CALCULATOR = {
    "fr": {
        "slug": "calculateur-heures-insertion",
        "title": "Calculer les heures d'insertion",
        "intro": (
            "<p>Estimez le nombre d'heures de travail à réserver aux personnes éloignées de "
            "l'emploi dans votre marché, à partir de son montant, de la part de main-d'œuvre "
            "du secteur et du taux d'insertion retenu.</p>"
        ),
    },
    "en": {
        "slug": "insertion-hours-calculator",
        "title": "Work out the insertion hours",
        "intro": (
            "<p>Estimate how many work hours your contract should reserve for people far from "
            "employment, from its amount, the labour share of the sector and the insertion "
            "rate.</p>"
        ),
    },
}

REFERRAL = {
    "fr": {
        "slug": "envoyer-mon-projet",
        "title": "Envoyer mon projet au facilitateur",
        "intro": (
            "<p>Décrivez votre marché : il est adressé au facilitateur chef de file du lieu "
            "d'exécution (ou à la coordination quand aucun facilitateur n'est désigné), qui "
            "vous aide à dimensionner et à rédiger la clause sociale.</p>"
        ),
    },
    "en": {
        "slug": "send-my-project",
        "title": "Send my project to the facilitator",
        "intro": (
            "<p>Describe your contract: it goes to the lead facilitator of the place of works "
            "(or to the coordination when no facilitator is designated), who helps you size "
            "and write the social clause.</p>"
        ),
    },
}

# ---------------------------------------------------------------------------------------
# News
# ---------------------------------------------------------------------------------------

NEWS_INDEX = {
    "fr": {
        "slug": "actualites",
        "title": "Actualités",
        "intro": "La vie du réseau, les acheteurs qui s'engagent, les résultats.",
    },
    "en": {"slug": "news", "title": "News", "intro": "Network news, committed buyers, results."},
}

CATEGORIES = [
    {"fr": ("Réseau", "reseau"), "en": ("Network", "network")},
    {"fr": ("Donneurs d'ordre", "donneurs-ordre"), "en": ("Buyers", "buyers")},
    {"fr": ("Événements", "evenements"), "en": ("Events", "events")},
    {"fr": ("Résultats", "resultats"), "en": ("Results", "results")},
]


IMAGE_CREDIT = {
    "fr": "Illustration : Portail des clauses sociales (démonstration)",
    "en": "Illustration: Social clauses portal (demonstration)",
}

# One drawing per demo article (demo.files.illustration): title, motif, colours and
# the alternative text in each language.
NEWS_IMAGES = {
    "news-portal": (
        "Actualité : carte du portail (illustration)",
        "map",
        ("#06335b", "#8fd3c3"),
        {
            "fr": "Carte dépliée marquée d'une épingle, symbole de l'annuaire par commune",
            "en": "Unfolded map with a pin, standing for the directory by commune",
        },
    ),
    "news-results": (
        "Actualité : résultats en hausse (illustration)",
        "chart",
        ("#0a4a82", "#ffbf47"),
        {
            "fr": "Histogramme dont les barres montent, avec une flèche de tendance",
            "en": "Bar chart with rising bars and a trend arrow",
        },
    ),
    "news-digital": (
        "Actualité : achats numériques (illustration)",
        "laptop",
        ("#3d2a6b", "#f2a0c4"),
        {
            "fr": "Ordinateur portable affichant une flèche de recyclage",
            "en": "Laptop showing a recycling arrow",
        },
    ),
    "news-roads": (
        "Actualité : travaux routiers (illustration)",
        "roads",
        ("#1f5130", "#f6d04d"),
        {
            "fr": "Route vers l'horizon et panneau de chantier",
            "en": "Road towards the horizon and a roadworks sign",
        },
    ),
    "news-metro": (
        "Actualité : chantier du métro (illustration)",
        "worksite",
        ("#0a4a82", "#ffbf47"),
        {
            "fr": "Grue soulevant une poutre au-dessus d'un bâtiment en construction",
            "en": "Crane lifting a beam over a building under construction",
        },
    ),
    "news-seignanx": (
        "Actualité : quinze ans de clauses (illustration)",
        "calendar",
        ("#7a3b12", "#f3b07c"),
        {
            "fr": "Page de calendrier avec un jour entouré",
            "en": "Calendar page with one day circled",
        },
    ),
    "news-committee": (
        "Actualité : comité départemental (illustration)",
        "meeting",
        ("#a3360b", "#f3f5f8"),
        {
            "fr": "Sept personnes réunies autour d'une table",
            "en": "Seven people gathered around a table",
        },
    ),
    "news-pooling": (
        "Actualité : mutualisation (illustration)",
        "network",
        ("#134e4a", "#9be3d6"),
        {
            "fr": "Réseau de points reliés entre eux",
            "en": "Network of connected dots",
        },
    ),
}


# The English articles' keywords (place and programme names stay as they are).
TAGS_EN = {
    "annuaire": "directory",
    "facilitateurs": "facilitators",
    "résultats": "results",
    "bilan": "review",
    "numérique": "digital",
    "ESS": "social economy",
    "travaux": "works",
    "mutualisation": "pooling",
}


def news_items():
    """Demo articles: (date, category index, key in NEWS_IMAGES, tags, {"fr": ..., "en": ...})."""
    return [
        (
            "2026-10-15",
            0,
            "news-portal",
            ["annuaire", "facilitateurs"],
            {
                "fr": {
                    "slug": "un-portail-pour-trouver-son-facilitateur",
                    "title": "Un portail pour trouver son facilitateur",
                    "intro": (
                        "Le réseau ouvre un site commun : explications, guides, résultats, "
                        "annuaire des facilitateurs par commune et carte de couverture."
                    ),
                    "body": [
                        para(
                            "<p>Acheteurs publics, entreprises et partenaires trouvent désormais "
                            "au même endroit ce qu'il faut savoir sur la clause sociale "
                            "d'insertion, les modèles de documents et les résultats de chaque "
                            "année.</p>"
                        ),
                        para(
                            "<p>L'annuaire, tenu à jour par les coordinations, dit quel "
                            "facilitateur couvre le lieu de vos travaux et qui est chef de file ; "
                            "la carte montre les territoires couverts et les zones blanches. Un "
                            "calculateur estime les heures d'insertion d'un marché, un formulaire "
                            "transmet votre projet au bon facilitateur, et l'annuaire est publié "
                            "en données ouvertes (CSV, GeoJSON et API).</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "a-portal-to-find-your-facilitator",
                    "title": "A portal to find your facilitator",
                    "intro": (
                        "The network opens a shared website: explanations, guides, results, the "
                        "directory of facilitators by commune and a coverage map."
                    ),
                    "body": [
                        para(
                            "<p>Public buyers, companies and partners now find in one place what "
                            "they need to know about the social insertion clause, document "
                            "templates and each year's results.</p>"
                        ),
                        para(
                            "<p>The directory, kept up to date by the coordinations, tells which "
                            "facilitator covers the place of your works and who the lead is; the "
                            "map shows the covered territories and the white zones. A calculator "
                            "estimates a contract's insertion hours, a form sends your project to "
                            "the right facilitator, and the directory is published as open data "
                            "(CSV, GeoJSON and an API).</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2026-06-20",
            3,
            "news-results",
            ["résultats", "bilan"],
            {
                "fr": {
                    "slug": "resultats-2025-plus-d-un-million-d-heures",
                    "title": "Résultats 2025 : plus d'un million d'heures d'insertion",
                    "intro": (
                        "Les heures réalisées progressent de 7 % et les marchés de services "
                        "pèsent désormais plus de quatre heures sur dix."
                    ),
                    "body": [
                        para(
                            "<p>En 2025, les entreprises titulaires de marchés clausés ont "
                            "réalisé plus de 1 190 000 heures d'insertion au bénéfice de 3 970 "
                            "personnes. Six mois après leur dernière mission, plus de quatre "
                            "personnes sur dix étaient en emploi durable ou en formation "
                            "qualifiante.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "2025-results-over-a-million-hours",
                    "title": "2025 results: over a million insertion hours",
                    "intro": (
                        "Hours done rose by 7% and service contracts now account for more than "
                        "four hours in ten."
                    ),
                    "body": [
                        para(
                            "<p>In 2025, companies holding contracts with a clause delivered over "
                            "1,190,000 insertion hours for 3,970 people. Six months after their "
                            "last assignment, more than four in ten were in lasting employment "
                            "or qualifying training.</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2026-04-02",
            2,
            "news-digital",
            ["numérique", "ESS"],
            {
                "fr": {
                    "slug": "achats-numeriques-responsables",
                    "title": "Achats numériques et socialement responsables : c'est possible",
                    "intro": (
                        "Plus de 180 acheteurs publics, entreprises et structures de l'économie "
                        "sociale et solidaire se sont rencontrés autour des marchés du "
                        "numérique."
                    ),
                    "body": [
                        para(
                            "<p>Une rencontre organisée à Nanterre par une mission régionale "
                            "d'appui aux clauses sociales a rapproché les acheteurs publics "
                            "franciliens et les structures de l'ESS. Objectif : montrer que la "
                            "clause d'insertion a sa place dans les achats informatiques, la "
                            "maintenance, le reconditionnement de matériel ou le support aux "
                            "utilisateurs.</p>"
                        ),
                        callout(
                            "À retenir",
                            "<p>Dans le numérique, la clause prend souvent la forme d'un critère "
                            "d'attribution ou d'un lot réservé.</p>",
                        ),
                    ],
                },
                "en": {
                    "slug": "responsible-digital-procurement",
                    "title": "Digital and socially responsible procurement: it can be done",
                    "intro": (
                        "More than 180 public buyers, companies and social-economy structures "
                        "met around digital-services contracts."
                    ),
                    "body": [
                        para(
                            "<p>A meeting held in Nanterre by a regional support mission for "
                            "social clauses brought together public buyers of the Île-de-France "
                            "region and social-economy structures. The aim: to show that the "
                            "insertion clause belongs in IT purchasing, maintenance, equipment "
                            "refurbishing and user support.</p>"
                        ),
                        callout(
                            "Key point",
                            "<p>In digital services, the clause often takes the form of an award "
                            "criterion or a reserved lot.</p>",
                        ),
                    ],
                },
            },
        ),
        (
            "2026-02-11",
            1,
            "news-roads",
            ["Bouches-du-Rhône", "SPASER"],
            {
                "fr": {
                    "slug": "bouches-du-rhone-clause-dans-tous-les-travaux",
                    "title": "Bouches-du-Rhône : la clause dans tous les marchés de travaux",
                    "intro": (
                        "Le Département inscrit la clause d'insertion dans tous ses marchés de "
                        "travaux de bâtiments et de routes à partir de 200 000 euros."
                    ),
                    "body": [
                        para(
                            "<p>Avec environ 700 marchés par an pour 330 millions d'euros, le "
                            "Département des Bouches-du-Rhône est l'un des premiers donneurs "
                            "d'ordre de son territoire. Son schéma des achats responsables "
                            "(SPASER 2023-2026) fait de la clause un outil d'insertion "
                            "ordinaire.</p>"
                        ),
                        para(
                            "<p>Nettoyage des locaux, espaces verts, télésurveillance, "
                            "gardiennage : des marchés de services mobilisent aussi des heures. "
                            "Un chargé de mission clause sociale du Département suit ses propres "
                            "marchés partout dans le département.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "bouches-du-rhone-clause-in-all-works",
                    "title": "Bouches-du-Rhône: the clause in every works contract",
                    "intro": (
                        "The Département includes the insertion clause in all its building and "
                        "road works contracts from 200,000 euros."
                    ),
                    "body": [
                        para(
                            "<p>With about 700 contracts a year worth 330 million euros, the "
                            "Département des Bouches-du-Rhône is one of the largest buyers of its "
                            "territory. Its responsible-procurement plan (SPASER 2023-2026) makes "
                            "the clause an ordinary tool for insertion.</p>"
                        ),
                        para(
                            "<p>Office cleaning, green spaces, remote monitoring, security: "
                            "service contracts provide hours too. A social-clause officer of the "
                            "Département follows its own contracts anywhere in the "
                            "département.</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2025-11-18",
            1,
            "news-metro",
            ["Grand Paris", "travaux"],
            {
                "fr": {
                    "slug": "grand-paris-express-cinq-pour-cent",
                    "title": "Grand Paris Express : 5 % des heures pour l'insertion",
                    "intro": (
                        "Le maître d'ouvrage du nouveau métro impose à tous ses marchés de "
                        "travaux de réserver au moins 5 % des heures à des personnes en "
                        "insertion."
                    ),
                    "body": [
                        para(
                            "<p>La Société des grands projets fait du chantier du Grand Paris "
                            "Express une occasion d'emploi pour les personnes qui en sont "
                            "éloignées. Ses marchés de construction exigent aussi qu'au moins "
                            "20 % des travaux soient confiés à des PME, en cotraitance ou en "
                            "sous-traitance.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "grand-paris-express-five-percent",
                    "title": "Grand Paris Express: 5% of hours for insertion",
                    "intro": (
                        "The owner of the new metro requires every works contract to reserve at "
                        "least 5% of hours for people on an insertion path."
                    ),
                    "body": [
                        para(
                            "<p>The Société des grands projets turns the Grand Paris Express "
                            "works into a job opportunity for people far from employment. Its "
                            "construction contracts also require at least 20% of the works to "
                            "go to SMEs, as co-contractors or subcontractors.</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2025-09-09",
            0,
            "news-seignanx",
            ["Landes", "PLIE"],
            {
                "fr": {
                    "slug": "seignanx-quinze-ans-de-clauses",
                    "title": "Seignanx : quinze ans de clauses d'insertion",
                    "intro": (
                        "Sur ce territoire des Landes, une trentaine de personnes par an "
                        "travaillent grâce aux clauses, pour environ 9 000 heures."
                    ),
                    "body": [
                        para(
                            "<p>Depuis plus de quinze ans, le comité de bassin d'emploi du "
                            "Seignanx accompagne les clauses d'insertion dans les marchés du "
                            "territoire. Selon les années, les marchés clausés représentent de "
                            "500 à plus de 22 000 heures.</p>"
                        ),
                        para(
                            "<p>La pratique se diversifie : marchés de services, lots réservés "
                            "aux structures d'insertion, clause utilisée comme critère "
                            "d'attribution pour obtenir des réponses plus qualitatives.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "seignanx-fifteen-years-of-clauses",
                    "title": "Seignanx: fifteen years of insertion clauses",
                    "intro": (
                        "In this area of the Landes, about thirty people a year work thanks to "
                        "the clauses, for some 9,000 hours."
                    ),
                    "body": [
                        para(
                            "<p>For more than fifteen years, the Seignanx employment-area "
                            "committee has supported insertion clauses in the contracts of its "
                            "territory. Depending on the year, contracts with a clause amount to "
                            "500 to more than 22,000 hours.</p>"
                        ),
                        para(
                            "<p>Practice is diversifying: service contracts, lots reserved for "
                            "insertion structures, the clause used as an award criterion to get "
                            "better-quality tenders.</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2025-06-05",
            0,
            "news-committee",
            ["Val-d'Oise", "coordination"],
            {
                "fr": {
                    "slug": "val-d-oise-comite-departemental",
                    "title": "Val-d'Oise : un comité départemental des clauses sociales",
                    "intro": (
                        "État, collectivités, service public de l'emploi, fédérations et "
                        "facilitateurs se réunissent pour piloter la clause à l'échelle du "
                        "département."
                    ),
                    "body": [
                        para(
                            "<p>La coordination départementale tient l'annuaire des "
                            "facilitateurs, repère les zones blanches et aide chaque donneur "
                            "d'ordre à identifier son facilitateur chef de file.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "val-d-oise-departmental-committee",
                    "title": "Val-d'Oise: a departmental committee for social clauses",
                    "intro": (
                        "The State, local authorities, the public employment service, trade "
                        "federations and facilitators meet to steer the clause across the "
                        "département."
                    ),
                    "body": [
                        para(
                            "<p>The departmental coordination keeps the directory of "
                            "facilitators, spots the white zones and helps each buyer find its "
                            "lead facilitator.</p>"
                        ),
                    ],
                },
            },
        ),
        (
            "2025-03-12",
            3,
            "news-pooling",
            ["Nord", "mutualisation"],
            {
                "fr": {
                    "slug": "metropole-lilloise-mutualisation",
                    "title": "Métropole lilloise : la mutualisation ouvre les chantiers",
                    "intro": (
                        "En mutualisant les heures à l'échelle de la métropole, les habitants "
                        "du Roubaisis ont doublé leurs heures réalisées hors de leur commune."
                    ),
                    "body": [
                        para(
                            "<p>Les marchés de services (collecte des déchets, restauration "
                            "scolaire, espaces verts) représentent plus de la moitié des heures "
                            "à l'échelle métropolitaine. La sensibilisation de nouveaux donneurs "
                            "d'ordre a compensé la fin de grands programmes de rénovation "
                            "urbaine.</p>"
                        ),
                    ],
                },
                "en": {
                    "slug": "lille-metropolis-pooling",
                    "title": "Lille metropolis: pooling opens up the worksites",
                    "intro": (
                        "By pooling hours across the metropolis, residents of the Roubaix area "
                        "doubled the hours they worked outside their own commune."
                    ),
                    "body": [
                        para(
                            "<p>Service contracts (waste collection, school catering, green "
                            "spaces) account for more than half of the hours across the "
                            "metropolis. Reaching new buyers made up for the end of large "
                            "urban-renewal programmes.</p>"
                        ),
                    ],
                },
            },
        ),
    ]


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------

RESULTS_INDEX = {
    "fr": {
        "slug": "resultats",
        "title": "Résultats",
        "intro": (
            "<p>Chaque année, les facilitateurs du réseau consolident les heures réalisées, les "
            "personnes accompagnées et leur situation six mois après.</p>"
        ),
    },
    "en": {
        "slug": "results",
        "title": "Results",
        "intro": (
            "<p>Every year, the network's facilitators consolidate the hours done, the people "
            "supported and their situation six months later.</p>"
        ),
    },
}

# The yearly national results pages: their figures are the consolidation of the demo
# structures' validated reports (demo/reports.py); editors write the introduction and notes.
RESULTS_YEARS = [2024, 2025]

RESULTS_TEXT = {
    "fr": {
        "title": "Résultats {year}",
        "intro": (
            "<p>Les résultats {year} du réseau : la somme des bilans annuels validés des "
            "structures qui accompagnent les clauses sociales (données de démonstration).</p>"
        ),
        "notes": (
            "<p>Chaque structure compte les heures réalisées par les personnes qu'elle "
            "accompagne dans les marchés qu'elle suit ; une personne suivie dans plusieurs "
            "marchés compte une fois. La situation six mois après est celle que la structure "
            "connaît : les personnes perdues de vue sont comptées dans « autre ».</p>"
        ),
    },
    "en": {
        "title": "{year} results",
        "intro": (
            "<p>The network's {year} results: the sum of the validated yearly reports of the "
            "structures that support social clauses (demonstration data).</p>"
        ),
        "notes": (
            "<p>Each structure counts the hours done by the people it supports in the "
            "contracts it follows; a person followed in several contracts counts once. The "
            "situation six months later is the one the structure knows: people it lost track "
            "of are counted under “other”.</p>"
        ),
    },
}

# ---------------------------------------------------------------------------------------
# Guidance library
# ---------------------------------------------------------------------------------------

GUIDANCE_INDEX = {
    "fr": {
        "slug": "guides",
        "title": "Guides et modèles",
        "intro": (
            "<p>Guides, clauses types et modèles de documents à télécharger, pour les "
            "entreprises, les acheteurs publics et leurs partenaires.</p>"
        ),
    },
    "en": {
        "slug": "guidance",
        "title": "Guides and templates",
        "intro": (
            "<p>Guides, model clauses and document templates to download, for companies, public "
            "buyers and their partners. The documents are in French.</p>"
        ),
    },
}

MODEL_CLAUSE = [
    "# Article X – Action d'insertion professionnelle",
    "En application du code de la commande publique (articles L. 2112-2 et R. 2111-4), le "
    "titulaire s'engage à réaliser une action d'insertion permettant l'accès ou le retour à "
    "l'emploi de personnes rencontrant des difficultés sociales ou professionnelles "
    "particulières.",
    "# Volume d'heures",
    "Le titulaire réserve au minimum [nombre] heures de travail à ce public pendant l'exécution "
    "du marché, soit [taux] % des heures de main-d'œuvre estimées.",
    "# Modalités",
    "Le titulaire choisit librement les modalités : embauche directe, sous-traitance ou "
    "co-traitance avec une structure d'insertion par l'activité économique, mise à disposition "
    "par une entreprise de travail temporaire d'insertion, une association intermédiaire ou un "
    "groupement d'employeurs pour l'insertion et la qualification (GEIQ).",
    "# Accompagnement et suivi",
    "Le facilitateur désigné par l'acheteur valide l'éligibilité des candidats, accompagne le "
    "titulaire et suit les heures réalisées. Le titulaire lui transmet chaque mois le relevé "
    "des heures.",
    "# Pénalités",
    "En cas de non-respect de l'engagement, et sauf justification acceptée par l'acheteur, une "
    "pénalité de [montant] € par heure non réalisée est appliquée.",
]

CERTIFICATE = [
    "Je soussigné(e), [nom, fonction], représentant l'entreprise [raison sociale, SIRET], "
    "atteste que les heures d'insertion suivantes ont été réalisées dans le cadre du marché "
    "[objet et numéro] passé par [donneur d'ordre] :",
    "# Récapitulatif",
    "Nombre de personnes : [ ]. Nombre total d'heures réalisées : [ ]. Période : du [ ] au [ ].",
    "Les relevés mensuels détaillés ont été transmis au facilitateur.",
    "Fait à [lieu], le [date]. Signature et cachet de l'entreprise.",
]

GUIDE = [
    "Ce guide explique aux entreprises titulaires d'un marché public comment réaliser les "
    "heures d'insertion prévues par la clause sociale.",
    "# 1. Avant de démarrer",
    "Prenez contact avec le facilitateur indiqué dans le marché dès la notification. Il vous "
    "présente le dispositif, les publics éligibles et les solutions possibles pour votre "
    "chantier ou votre prestation.",
    "# 2. Choisir la modalité",
    "Vous pouvez embaucher directement une personne éligible, sous-traiter une partie des "
    "travaux à une entreprise d'insertion, faire appel à une entreprise de travail temporaire "
    "d'insertion ou à un GEIQ. Vous pouvez combiner ces modalités.",
    "# 3. Recruter",
    "Le facilitateur vous propose des candidats repérés avec le réseau local de l'emploi "
    "(France Travail, Missions locales, PLIE, Cap emploi, structures d'insertion) et valide "
    "leur éligibilité avant l'embauche.",
    "# 4. Déclarer les heures",
    "Chaque mois, remplissez le relevé des heures d'insertion (modèle disponible sur le "
    "portail) et envoyez-le au facilitateur avant le 10 du mois suivant.",
    "# 5. À la fin du marché",
    "Le facilitateur établit le bilan des heures réalisées. L'attestation de fin de marché "
    "peut servir de référence dans vos prochaines candidatures.",
]

DOCUMENTS = [
    {
        "key": "hours-statement",
        "title": "Relevé mensuel des heures d'insertion (modèle)",
        "filename": "releve-mensuel-heures-insertion.xlsx",
        "builder": "hours_statement",
        "doc_type": "hours-statement",
        "audiences": ["companies"],
        "description": (
            "Tableur à remplir chaque mois par l'entreprise titulaire : une ligne par personne, "
            "total calculé automatiquement."
        ),
    },
    {
        "key": "model-clause",
        "title": "Clause type d'insertion pour un marché de travaux",
        "filename": "clause-type-insertion-travaux.odt",
        "builder": "model_clause",
        "doc_type": "model-clause",
        "audiences": ["buyers", "partners"],
        "description": (
            "Article à insérer dans le cahier des clauses administratives particulières, à "
            "adapter avec votre facilitateur."
        ),
    },
    {
        "key": "certificate",
        "title": "Attestation de réalisation des heures d'insertion (modèle)",
        "filename": "attestation-heures-insertion.odt",
        "builder": "certificate",
        "doc_type": "certificate",
        "audiences": ["companies", "buyers"],
        "description": "Attestation de fin de marché signée par l'entreprise titulaire.",
    },
    {
        "key": "company-guide",
        "title": "Guide de la clause sociale pour les entreprises",
        "filename": "guide-clause-sociale-entreprises.pdf",
        "builder": "company_guide",
        "doc_type": "guide",
        "audiences": ["companies", "job-seekers"],
        "description": "Les cinq étapes pour réaliser les heures d'insertion d'un marché public.",
    },
]

# ---------------------------------------------------------------------------------------
# Contact and legal pages
# ---------------------------------------------------------------------------------------

CONTACT = {
    "fr": {
        "slug": "contact",
        "title": "Contact",
        "intro": (
            "<p>Une question sur la clause sociale, le portail ou vos données ? Écrivez-nous : "
            "nous répondons sous cinq jours ouvrés. Pour un projet de marché, le facilitateur "
            "de votre territoire est le meilleur interlocuteur.</p>"
        ),
        "thank_you_text": (
            "<p>Merci, votre message est bien arrivé. Nous vous répondrons sous cinq jours "
            "ouvrés.</p>"
        ),
        "fields": [
            ("Nom et prénom", "singleline", True, "", ""),
            ("Adresse e-mail", "email", True, "", "Nous l'utilisons seulement pour vous répondre."),
            ("Organisation", "singleline", False, "", ""),
            (
                "Vous êtes",
                "dropdown",
                True,
                "Acheteur public\nEntreprise\nDemandeur d'emploi\nPartenaire\nAutre",
                "",
            ),
            ("Message", "multiline", True, "", ""),
        ],
    },
    "en": {
        "slug": "contact",
        "title": "Contact",
        "intro": (
            "<p>A question about the social clause, the portal or your data? Write to us: we "
            "answer within five working days. For a contract project, the facilitator of your "
            "territory is the best contact.</p>"
        ),
        "thank_you_text": (
            "<p>Thank you, your message has arrived. We will answer within five working days.</p>"
        ),
        "fields": [
            ("Full name", None, None, "", ""),
            ("E-mail address", None, None, "", "We only use it to answer you."),
            ("Organisation", None, None, "", ""),
            ("You are", None, None, "Public buyer\nCompany\nJob seeker\nPartner\nOther", ""),
            ("Message", None, None, "", ""),
        ],
    },
}

OPEN_DATA = {
    "fr": {
        "slug": "donnees-ouvertes",
        "title": "Données ouvertes et API",
        "intro": (
            "L'annuaire des facilitateurs est publié sous Licence Ouverte 2.0 : téléchargez-le ou "
            "interrogez-le depuis vos propres outils."
        ),
        "body": [
            heading("Téléchargements"),
            para(
                '<ul><li><a href="/api/v1/facilitators.csv">Annuaire au format CSV</a> '
                '(UTF-8, séparateur point-virgule)</li><li><a href="/api/v1/facilitators.geojson">'
                "Annuaire au format GeoJSON</a>, avec le contour de chaque territoire couvert"
                '</li><li><a href="/fr/observatoire/">Résultats des structures</a> : un fichier '
                "CSV sur chaque page de résultats (structure, département, région, national), "
                'décrit par son <a href="/api/v1/schemas/results.json">Table Schema</a> ; les '
                'mêmes chiffres en JSON : <a href="/api/v1/results/?departement=13">'
                "/api/v1/results/?year=&amp;departement=|region=|structure=</a></li></ul>"
            ),
            heading("API (JSON, UTF-8, ouverte à tous les sites : CORS)"),
            para(
                "<p><a href=\"/fr/api/\">Documentation de l'API</a> : chaque point d'accès, "
                "ses paramètres, ses réponses et des exemples, tirée de sa "
                '<a href="/api/v1/openapi.json">description OpenAPI 3</a>.</p>'
            ),
            table(
                "Points d'accès de l'API",
                ["Requête", "Réponse"],
                [
                    (
                        "GET /api/v1/lookup/?q=Tarascon",
                        "La commune, son statut (zone blanche, chef de file, contact, plusieurs, "
                        "désignations à égalité), son chef de file ou son contact, l'explication "
                        "de la règle, les facilitateurs qui la couvrent ; q accepte un nom, un "
                        "code postal, un code INSEE ou une adresse",
                    ),
                    (
                        "GET /api/v1/lookup/?q=13160&authority=1",
                        "La même réponse pour les "
                        "marchés d'un donneur d'ordre (sa propre désignation s'applique)",
                    ),
                    (
                        "GET /api/v1/communes/13108/",
                        "La même réponse pour un code INSEE "
                        "(les codes d'arrondissement sont acceptés)",
                    ),
                    (
                        "GET /api/v1/white-zones/?departement=13",
                        "Les communes en zone blanche "
                        "du département, avec leur population et les totaux",
                    ),
                    (
                        "GET /api/v1/suggest/?q=tara",
                        "Jusqu'à 10 communes dont le nom, le code postal ou le code INSEE "
                        "commence ainsi (autocomplétion)",
                    ),
                    (
                        "GET /api/v1/map/departements.geojson",
                        "Les départements (GeoJSON) avec la part de leur population couverte",
                    ),
                    (
                        "GET /api/v1/map/departements/13/communes.geojson",
                        "Les communes du département (GeoJSON) avec leur statut (couverte ou "
                        "zone blanche), les facilitateurs qui les couvrent et leur chef de file",
                    ),
                    (
                        "GET /api/v1/map/departements/13/epci.geojson",
                        "Les intercommunalités du département (GeoJSON)",
                    ),
                ],
            ),
            para(
                "<p>Erreurs (JSON, champ error) : 400 pour un paramètre manquant ou invalide, 404 "
                "quand rien ne correspond (commune, département ou donneur d'ordre inconnu), "
                "429 au-delà de 60 recherches par minute (l'en-tête Retry-After indique "
                "l'attente). Plusieurs communes possibles : la réponse liste les "
                "candidates. Ajoutez lang=en pour des messages en anglais. Les couches GeoJSON "
                "portent les en-têtes ETag et Last-Modified et sont compressées (gzip).</p>"
            ),
        ],
    },
    "en": {
        "slug": "open-data",
        "title": "Open data and API",
        "intro": (
            "The facilitator directory is published under the Licence Ouverte 2.0: download it "
            "or query it from your own tools."
        ),
        "body": [
            heading("Downloads"),
            para(
                '<ul><li><a href="/api/v1/facilitators.csv">Directory as CSV</a> (UTF-8, '
                'semicolon-separated)</li><li><a href="/api/v1/facilitators.geojson">Directory '
                "as GeoJSON</a>, with the outline of every covered territory</li>"
                '<li><a href="/en/observatory/">Structures\' results</a>: a CSV file on every '
                "results page (structure, département, region, national), described by its "
                '<a href="/api/v1/schemas/results.json">Table Schema</a>; the same figures as '
                'JSON: <a href="/api/v1/results/?departement=13">'
                "/api/v1/results/?year=&amp;departement=|region=|structure=</a></li></ul>"
            ),
            heading("API (JSON, UTF-8, open to every site: CORS)"),
            para(
                '<p><a href="/en/api/">API documentation</a>: every endpoint, its parameters, '
                "its answers and examples, drawn from its "
                '<a href="/api/v1/openapi.json?lang=en">OpenAPI 3 description</a>.</p>'
            ),
            table(
                "API endpoints",
                ["Request", "Answer"],
                [
                    (
                        "GET /api/v1/lookup/?q=Tarascon",
                        "The commune, its status (white zone, lead, contact, several, tied "
                        "designations), its lead or contact, the explanation of the rule, the "
                        "facilitators covering it; q takes a name, a postal code, an INSEE code "
                        "or an address",
                    ),
                    (
                        "GET /api/v1/lookup/?q=13160&authority=1",
                        "The same answer for the "
                        "contracts of a contracting authority (its own designation applies)",
                    ),
                    (
                        "GET /api/v1/communes/13108/",
                        "The same answer for an INSEE code (arrondissement codes accepted)",
                    ),
                    (
                        "GET /api/v1/white-zones/?departement=13",
                        "The white-zone communes of the "
                        "département, with their population and the totals",
                    ),
                    (
                        "GET /api/v1/suggest/?q=tara",
                        "Up to 10 communes whose name, postal code or INSEE code starts so "
                        "(autocompletion)",
                    ),
                    (
                        "GET /api/v1/map/departements.geojson",
                        "The départements (GeoJSON) with the share of their population covered",
                    ),
                    (
                        "GET /api/v1/map/departements/13/communes.geojson",
                        "The communes of the département (GeoJSON) with their status (covered "
                        "or white zone), the facilitators covering them and their lead",
                    ),
                    (
                        "GET /api/v1/map/departements/13/epci.geojson",
                        "The intercommunalities of the département (GeoJSON)",
                    ),
                ],
            ),
            para(
                "<p>Errors (JSON, error field): 400 for a missing or invalid parameter, 404 when "
                "nothing matches (unknown commune, département or contracting authority), "
                "429 beyond 60 lookups a minute (the Retry-After header gives the wait). When "
                "several communes match, the answer lists the candidates. Add lang=en for "
                "messages in English. The GeoJSON layers carry ETag and Last-Modified headers "
                "and are gzip-compressed.</p>"
            ),
        ],
    },
}

LEGAL_PAGES = [
    {
        "fr": {
            "slug": "mentions-legales",
            "title": "Mentions légales",
            "body": [
                heading("Éditeur"),
                para(
                    "<p>Réseau des facilitateurs des clauses sociales (association fictive de "
                    "démonstration), 12 rue de l'Exemple, 13002 Marseille. Contact : "
                    "contact@example.org.</p>"
                ),
                heading("Hébergement"),
                para("<p>Hébergeur à compléter lors de la mise en production.</p>"),
                heading("Données ouvertes"),
                para(
                    "<p>Les données géographiques proviennent de l'INSEE et de l'IGN, sous "
                    "Licence Ouverte / Open Licence 2.0. Les contenus du portail sont publiés "
                    "sous la même licence sauf mention contraire.</p>"
                ),
            ],
        },
        "en": {
            "slug": "legal-notice",
            "title": "Legal notice",
            "body": [
                heading("Publisher"),
                para(
                    "<p>Réseau des facilitateurs des clauses sociales (fictitious demonstration "
                    "association), 12 rue de l'Exemple, 13002 Marseille. Contact: "
                    "contact@example.org.</p>"
                ),
                heading("Hosting"),
                para("<p>Hosting provider to be completed when going live.</p>"),
                heading("Open data"),
                para(
                    "<p>Geographic data comes from INSEE and IGN under the Licence Ouverte / "
                    "Open Licence 2.0. The portal's content is published under the same licence "
                    "unless stated otherwise.</p>"
                ),
            ],
        },
    },
    {
        "fr": {
            "slug": "donnees-personnelles",
            "title": "Données personnelles",
            "body": [
                para(
                    "<p>Le portail ne dépose aucun cookie de mesure d'audience ni de publicité. "
                    "Un cookie technique de session est utilisé seulement par les personnes qui "
                    "se connectent à l'administration ; les formulaires posent un cookie "
                    "technique de sécurité (protection contre la falsification de requêtes).</p>"
                ),
                heading("Projets envoyés aux facilitateurs"),
                para(
                    "<p>Quand vous envoyez votre projet, vos coordonnées et la description du "
                    "marché sont transmises au facilitateur qui vous accompagne et à la "
                    "coordination des clauses sociales, seulement pour traiter votre demande. "
                    "Elles sont conservées deux ans au plus, puis supprimées automatiquement.</p>"
                ),
                heading("Erreurs signalées dans l'annuaire"),
                para(
                    "<p>Quand vous signalez une erreur, votre texte, votre e-mail si vous le "
                    "donnez, la fiche ou la commune concernée, la langue et la date sont "
                    "transmis à la coordination qui tient cette partie de l'annuaire, seulement "
                    "pour la corriger et vous répondre. Ils sont conservés un an au plus, puis "
                    "supprimés automatiquement.</p>"
                ),
                heading("Formulaire de contact"),
                para(
                    "<p>Les messages envoyés par le formulaire sont conservés un an au plus, "
                    "pour vous répondre, puis supprimés. Vous pouvez demander l'accès, la "
                    "rectification ou l'effacement de vos données en écrivant à "
                    "contact@example.org, et saisir la CNIL si vous estimez que vos droits ne "
                    "sont pas respectés.</p>"
                ),
            ],
        },
        "en": {
            "slug": "personal-data",
            "title": "Personal data",
            "body": [
                para(
                    "<p>The portal sets no audience-measurement or advertising cookie. A "
                    "technical session cookie is only used by people who log in to the "
                    "administration; forms set a technical security cookie (protection against "
                    "request forgery).</p>"
                ),
                heading("Projects sent to facilitators"),
                para(
                    "<p>When you send your project, your details and the description of the "
                    "contract go to the facilitator who supports you and to the coordination of "
                    "social clauses, only to handle your request. They are kept for two years at "
                    "most, then deleted automatically.</p>"
                ),
                heading("Errors reported in the directory"),
                para(
                    "<p>When you report an error, your text, your e-mail if you give it, the "
                    "record or commune concerned, the language and the date go to the "
                    "coordination that keeps this part of the directory, only to correct it "
                    "and answer you. They are kept for one year at most, then deleted "
                    "automatically.</p>"
                ),
                heading("Contact form"),
                para(
                    "<p>Messages sent through the form are kept for one year at most, to answer "
                    "you, then deleted. You can ask for access to, correction or deletion of "
                    "your data by writing to contact@example.org, and complain to the CNIL if you "
                    "believe your rights are not respected.</p>"
                ),
            ],
        },
    },
    {
        "fr": {
            "slug": "accessibilite",
            "title": "Déclaration d'accessibilité",
            "body": [
                para(
                    "<p>Le réseau s'engage à rendre son portail accessible conformément à "
                    "l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
                    "s'applique au présent site.</p>"
                ),
                heading("État de conformité"),
                para(
                    "<p>Le portail est <b>partiellement conforme</b> au référentiel général "
                    "d'amélioration de l'accessibilité (RGAA 4.1) : aucun audit complet n'a "
                    "encore été réalisé. Chaque type de page est contrôlé automatiquement "
                    "(axe-core, critères WCAG 2.1 A et AA) à chaque modification du code.</p>"
                ),
                heading("Retour d'information et contact"),
                para(
                    "<p>Si vous ne parvenez pas à accéder à un contenu ou à un service, "
                    "écrivez-nous par le formulaire de contact ou à contact@example.org : nous "
                    "vous proposerons une alternative accessible.</p>"
                ),
                heading("Voies de recours"),
                para(
                    "<p>Si vous nous avez signalé un défaut d'accessibilité sans obtenir de "
                    "réponse satisfaisante, vous pouvez écrire au Défenseur des droits ou "
                    "contacter son délégué dans votre région.</p>"
                ),
            ],
        },
        "en": {
            "slug": "accessibility",
            "title": "Accessibility statement",
            "body": [
                para(
                    "<p>The network is committed to making its portal accessible in accordance "
                    "with article 47 of French law no. 2005-102 of 11 February 2005. This "
                    "statement applies to this website.</p>"
                ),
                heading("Compliance status"),
                para(
                    "<p>The portal is <b>partially compliant</b> with the French accessibility "
                    "framework (RGAA 4.1): no full audit has been carried out yet. Every page "
                    "type is checked automatically (axe-core, WCAG 2.1 A and AA criteria) on "
                    "every change of the code.</p>"
                ),
                heading("Feedback and contact"),
                para(
                    "<p>If you cannot access some content or service, write to us through the "
                    "contact form or at contact@example.org: we will offer you an accessible "
                    "alternative.</p>"
                ),
                heading("Remedies"),
                para(
                    "<p>If you reported an accessibility problem without a satisfactory answer, "
                    "you can write to the Défenseur des droits or contact its delegate in your "
                    "region.</p>"
                ),
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------

AGENDA = {
    "fr": {
        "slug": "agenda",
        "title": "Agenda",
        "intro": (
            "Rencontres entre acheteurs et structures de l'insertion, comités départementaux, "
            "formations : les rendez-vous du réseau, à ajouter à votre calendrier."
        ),
    },
    "en": {
        "slug": "events",
        "title": "Events",
        "intro": (
            "Meetings between buyers and insertion organisations, departmental committees, "
            "training: the network's events, to add to your calendar."
        ),
    },
}


def events():
    """Demo events. `days` counts from today (negative: past), `start`/`end` are Paris times
    ("all-day" for a whole day), so the upcoming ones stay upcoming whenever the demo is
    built. Places are invented; coordinates are those of the town centres."""
    return [
        {
            "days": -58,
            "start": "08:30",
            "end": "12:30",
            "category": "meeting",
            "departement": "13",
            "audiences": ["buyers", "partners"],
            "latitude": 43.2984,
            "longitude": 5.3811,
            "registration_url": "https://inscriptions.example.org/matinale-ess-marseille",
            "fr": {
                "slug": "matinale-openmap-ess-marseille",
                "title": "Matinale « OpenMap ESS » : acheteurs et structures de l'ESS",
                "intro": (
                    "Une matinée pour que les acheteurs publics des Bouches-du-Rhône rencontrent "
                    "les structures de l'économie sociale et solidaire qui peuvent répondre à "
                    "leurs marchés."
                ),
                "venue": "Maison des associations (salle fictive)",
                "address": "93 La Canebière\n13001 Marseille",
                "organiser": "Coordination départementale des clauses sociales (13)",
                "body": [
                    para(
                        "<p>Au programme : la carte des structures d'insertion par activité "
                        "économique du département, trois témoignages d'acheteurs, puis des "
                        "rendez-vous de vingt minutes entre acheteurs et structures.</p>"
                    ),
                    para(
                        "<p>Les facilitateurs présents aident à repérer les lots où une clause "
                        "ou un marché réservé est possible.</p>"
                    ),
                ],
            },
            "en": {
                "slug": "openmap-ess-morning-marseille",
                "title": "“OpenMap ESS” morning: buyers and social-economy organisations",
                "intro": (
                    "A morning for public buyers of the Bouches-du-Rhône to meet the social "
                    "and solidarity economy organisations that can bid for their contracts."
                ),
                "venue": "Community associations centre (invented room)",
                "address": "93 La Canebière\n13001 Marseille",
                "organiser": "Departmental coordination of social clauses (13)",
                "body": [
                    para(
                        "<p>On the programme: the map of the département's work-integration "
                        "organisations by activity, three buyers' accounts, then twenty-minute "
                        "meetings between buyers and organisations.</p>"
                    ),
                    para(
                        "<p>Facilitators help spot the lots where a clause or a reserved "
                        "contract is possible.</p>"
                    ),
                ],
            },
        },
        {
            "days": -112,
            "start": "all-day",
            "category": "workshop",
            "departement": "59",
            "audiences": ["partners", "buyers"],
            "latitude": 50.6366,
            "longitude": 3.0635,
            "fr": {
                "slug": "barcamp-donnees-ouvertes-clauses-sociales",
                "title": "Barcamp : les données ouvertes des clauses sociales",
                "intro": (
                    "Une journée de travail ouverte à tous pour publier et réutiliser les "
                    "données des clauses sociales : heures réalisées, marchés, couverture des "
                    "territoires."
                ),
                "venue": "Tiers-lieu de l'économie sociale (lieu fictif)",
                "address": "Place du Théâtre\n59000 Lille",
                "organiser": "Réseau des facilitateurs des clauses sociales",
                "body": [
                    para(
                        "<p>Ateliers proposés par les participants le matin même : schéma "
                        "commun des résultats annuels, API de l'annuaire, cartes des zones "
                        "blanches.</p>"
                    ),
                ],
            },
            "en": {
                "slug": "barcamp-open-data-social-clauses",
                "title": "Barcamp: open data on social clauses",
                "intro": (
                    "A working day open to everyone, to publish and reuse social-clause data: "
                    "hours worked, contracts, territories covered."
                ),
                "venue": "Social-economy third place (invented venue)",
                "address": "Place du Théâtre\n59000 Lille",
                "organiser": "Network of social clause facilitators",
                "body": [
                    para(
                        "<p>Workshops proposed by the participants on the morning itself: a "
                        "common schema for yearly results, the directory API, maps of white "
                        "zones.</p>"
                    ),
                ],
            },
        },
        {
            "days": 19,
            "start": "14:00",
            "end": "16:30",
            "category": "committee",
            "departement": "40",
            "audiences": ["partners"],
            "latitude": 43.8935,
            "longitude": -0.4999,
            "registration_url": "https://inscriptions.example.org/comite-landes",
            "registration_days": 12,
            "fr": {
                "slug": "comite-departemental-clauses-sociales-landes",
                "title": "Comité départemental des clauses sociales des Landes",
                "intro": (
                    "Bilan de l'année, zones blanches du département et désignation des chefs "
                    "de file pour le Grand Dax : la réunion des facilitateurs et des donneurs "
                    "d'ordre des Landes."
                ),
                "venue": "Salle du conseil (lieu fictif)",
                "address": "Rue Victor-Hugo\n40000 Mont-de-Marsan",
                "organiser": "Réseau régional Nouvelle-Aquitaine",
                "body": [
                    para(
                        "<p>Ordre du jour : les heures réalisées dans les Landes, les communes "
                        "encore sans facilitateur, les marchés à venir des collectivités.</p>"
                    ),
                ],
            },
            "en": {
                "slug": "landes-departmental-social-clause-committee",
                "title": "Landes departmental social clause committee",
                "intro": (
                    "The year's results, the département's white zones and the lead "
                    "facilitators for Grand Dax: the meeting of the Landes facilitators and "
                    "contracting authorities."
                ),
                "venue": "Council room (invented venue)",
                "address": "Rue Victor-Hugo\n40000 Mont-de-Marsan",
                "organiser": "Nouvelle-Aquitaine regional network",
                "body": [
                    para(
                        "<p>Agenda: hours worked in the Landes, the communes still without a "
                        "facilitator, the local authorities' coming contracts.</p>"
                    ),
                ],
            },
        },
        {
            "days": 37,
            "start": "09:30",
            "end": "12:30",
            "category": "training",
            "departement": None,
            "audiences": ["buyers"],
            "online_url": "https://visio.example.org/formation-acheteurs",
            "registration_url": "https://inscriptions.example.org/formation-acheteurs",
            "registration_days": 5,
            "fr": {
                "slug": "formation-acheteurs-ecrire-une-clause-sociale",
                "title": "Formation des acheteurs : écrire une clause sociale d'insertion",
                "intro": (
                    "Trois heures en ligne pour calibrer les heures d'insertion d'un marché, "
                    "rédiger la clause et suivre son exécution avec le facilitateur."
                ),
                "organiser": "Coordination nationale du réseau",
                "body": [
                    para(
                        "<p>Avec des exemples de marchés de travaux et de services, le "
                        "calculateur d'heures du portail et les modèles de la bibliothèque de "
                        "guides.</p>"
                    ),
                ],
            },
            "en": {
                "slug": "buyer-training-writing-a-social-clause",
                "title": "Training for buyers: writing a social insertion clause",
                "intro": (
                    "Three hours online to size the insertion hours of a contract, write the "
                    "clause and follow its execution with the facilitator."
                ),
                "organiser": "National coordination of the network",
                "body": [
                    para(
                        "<p>With examples of works and services contracts, the portal's hours "
                        "calculator and the templates of the guidance library.</p>"
                    ),
                ],
            },
        },
    ]
