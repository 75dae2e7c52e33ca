#!/usr/bin/env python3
"""Held-out French CV check set for the CV parser: 34 fictional people, one format each, in four
rounds (PEOPLE → truth.jsonl, ROUND2 → truth-round2.jsonl, ROUND3 → truth-round3.jsonl,
ROUND4 → truth-round4.jsonl), each
written before the parser read it. README.md has the figures.

Written independently of tests/data/cv-fr/generate.py and with different tools, so that the
parser meets layouts it was not tuned on:

  * DOCX with python-docx (contact block in the page header, table rows, right tab stops),
  * ODT with odfpy,
  * PDF with reportlab's canvas (two-column page with a sidebar, right-aligned dates,
    a drawn table), text placed at explicit coordinates,
  * TXT (one UTF-8, one Windows-1252 with CRLF line ends) and Markdown written by hand.

Every person, employer, address, e-mail (example.fr / exemple.org / example.org domains) and
phone number here is invented. truth.jsonl is written from the same data: it is what a human
reads in the CV (organisation without the city that follows it, title without a "(mi-temps)"
or "(alternance)" note, a "recherche d'emploi" line is not an experience).

Needs:  python3 -m venv /tmp/cvvenv && /tmp/cvvenv/bin/pip install python-docx odfpy reportlab
Run:    /tmp/cvvenv/bin/python tests/data/cv-fr-check/make.py [ROUND...]   (all rounds by default)
The outputs are committed; CI does not run this script. Re-running it rewrites the files
(PDF/DOCX/ODT bytes may differ by timestamps, the text does not).
Score:  CARGO_TARGET_DIR=/work/parser-target cargo run -p vivier-cv-parser --release \
            --example eval_corpus -- tests/data/cv-fr-check/truth.jsonl --details
        (and truth-round2.jsonl, truth-round3.jsonl, truth-round4.jsonl)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def X(title, org, start, end, dates, place=None, note=None, bullets=(), shown_title=None):
    return dict(title=title, org=org, start=start, end=end, dates=dates, place=place, note=note, bullets=list(bullets),
                shown_title=shown_title)


def E(degree, institution, end, start=None, text=None):
    return dict(degree=degree, institution=institution, start=start, end=end, text=text)


PEOPLE = [
    dict(
        id="01-bertrand-sophie", fmt="pdf", layout="pdf-two-column-sidebar",
        shown_name="BERTRAND Sophie", name="Sophie Bertrand", headline="Assistante de service social",
        email="sophie.bertrand@exemple.org", phone="06 47 21 83 50", phone_e164="+33647218350",
        address=["8 allée des Hortensias", "56100 Lorient"], city="Lorient",
        exp_heading="EXPÉRIENCES PROFESSIONNELLES",
        experiences=[
            X("Assistante de service social", "Centre communal d'action sociale de Lorient", "2019-09", "present",
              "sept. 2019 – aujourd'hui", place="Lorient",
              bullets=["Accompagnement de 60 ménages en difficulté", "Instruction des demandes d'aide facultative"]),
            X("Conseillère en économie sociale et familiale", "Association Habitat et Solidarité", "2016-01", "2019-08",
              "janv. 2016 – août 2019", place="Vannes",
              bullets=["Ateliers budget et logement", "Suivi des mesures d'accompagnement social lié au logement"]),
            X("Chargée d'accueil", "Caisse d'allocations familiales du Morbihan", "2014-06", "2015-12",
              "juin 2014 – déc. 2015", place="Vannes"),
        ],
        edu_heading="FORMATION",
        education=[
            E("Diplôme d'État d'assistant de service social", "IRTS de Bretagne", "2019"),
            E("BTS Économie sociale et familiale", "Lycée Jean Macé", "2014"),
        ],
        skills_heading="Compétences",
        skills=["Accompagnement social", "Droit des étrangers", "Logiciel Solis", "Conduite d'entretien"],
        languages_heading="Langues", languages=["Anglais", "Breton"],
        interests=["Voile", "Théâtre amateur"],
    ),
    dict(
        id="02-haddad-karim", fmt="pdf", layout="pdf-dates-right",
        shown_name="Karim Haddad", name="Karim Haddad", headline="Comptable – gestion budgétaire et comptable",
        email="k.haddad@example.fr", phone="07.81.22.45.19", phone_e164="+33781224519",
        address=["27, avenue Jean Jaurès", "29200 Brest"], city="Brest",
        exp_heading="Parcours professionnel",
        experiences=[
            X("Comptable fournisseurs", "Syndicat intercommunal des eaux de l'Aulne", "2021-07", "present",
              "07/2021 – présent", place="Châteaulin",
              bullets=["Mandatement et suivi des engagements (M49)", "Relations avec le comptable public"]),
            X("Aide-comptable", "Cabinet Ferrand & Associés", "2019-09", "2021-06", "09/2019 - 06/2021",
              place="Brest", bullets=["Saisie et lettrage", "Déclarations de TVA"]),
            X("Assistant comptable", "SARL Batimat Ouest", "2017-09", "2019-08", "09/2017 - 08/2019",
              place="Landerneau", note="alternance"),
        ],
        edu_heading="Diplômes et formations",
        education=[
            E("DCG – Diplôme de comptabilité et de gestion", "IUT de Brest", "2019"),
            E("Baccalauréat STMG", "Lycée de l'Harteloire", "2016"),
        ],
        skills_heading="Savoir-faire",
        skills=["Comptabilité M14 et M57", "Exécution budgétaire", "Sage 100", "Excel avancé"],
        languages_heading="Langues", languages=["Anglais", "Arabe"],
        interests=["Football", "Bénévolat aux Restos du cœur"],
    ),
    dict(
        id="03-lemoine-nathalie", fmt="pdf", layout="pdf-table",
        shown_name="LEMOINE Nathalie", name="Nathalie Lemoine", headline="Infirmière diplômée d'État",
        email="nathalie.lemoine@example.org", phone="+33 6 58 14 92 03", phone_e164="+33658149203",
        address=["Résidence Les Chênes, appt 12", "3 rue du Stade", "29000 Quimper"], city="Quimper",
        exp_heading="Emplois occupés",
        experiences=[
            X("Infirmière coordinatrice", "EHPAD Les Glycines", "2018", "present", "Depuis 2018", place="Quimper"),
            X("Infirmière en soins généraux", "Clinique du Littoral", "2015", "2018", "2015-2018", place="Brest"),
            X("Aide-soignante", "Centre hospitalier de Cornouaille", "2011", "2011", "2011 (6 mois)", place="Quimper"),
        ],
        edu_heading="Formation",
        education=[
            E("Diplôme d'État d'infirmier", "IFSI de Quimper", "2015"),
            E("Diplôme d'État d'aide-soignant", "IFAS de Quimper", "2010"),
        ],
        skills_heading="Compétences",
        skills=["Soins techniques", "Coordination d'équipe", "Gestion des plans de soins", "Logiciel NetSoins"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Course à pied"],
    ),
    dict(
        id="04-marchand-julien", fmt="docx", layout="docx-page-header-employer-first",
        shown_name="Julien Marchand", name="Julien Marchand", headline="Technicien voirie et réseaux divers",
        email="julien.marchand@exemple.fr", phone="06 71 30 58 64", phone_e164="+33671305864",
        address=["14 impasse des Mouettes", "44800 Saint-Herblain"], city="Saint-Herblain",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Technicien voirie et réseaux divers", "Commune de Saint-Herblain", "2021-03", "present",
              "depuis mars 2021",
              bullets=["Programmation des travaux d'entretien de voirie", "Suivi des chantiers et des marchés publics"]),
            X("Conducteur de travaux adjoint", "TP Atlantique Réseaux", "2016", "2021", "De 2016 à 2021",
              bullets=["Encadrement de deux équipes de pose", "Métrés et situations de travaux"]),
            X("Dessinateur-projeteur", "Bureau d'études Géo-Concept", "2013", "2016", "2013 – 2016"),
        ],
        edu_heading="Diplômes",
        education=[
            E("DUT Génie civil", "IUT de Saint-Nazaire", "2013"),
            E("Baccalauréat STI2D", "Lycée Livet", "2011"),
        ],
        skills_heading="Compétences techniques",
        skills=["AutoCAD", "Covadis", "Marchés publics de travaux", "Signalisation temporaire"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Cyclisme", "Photographie"],
    ),
    dict(
        id="05-caradec-amelie", fmt="docx", layout="docx-table-rows",
        shown_name="Amélie CARADEC", name="Amélie Caradec", headline="Jeune diplômée – ressources humaines",
        email="amelie.caradec@example.fr", phone="0623456781", phone_e164="+33623456781",
        address=["5 rue de la Marne", "44210 Pornic"], city="Pornic",
        exp_heading="EXPÉRIENCES",
        experiences=[
            X("Stagiaire chargée de mission recrutement", "Communauté d'agglomération Pornic Agglo Pays de Retz",
              "2024-05", "2024-06", "Mai – juin 2024",
              bullets=["Rédaction de fiches de poste", "Organisation des jurys de recrutement"]),
            X("Assistante ressources humaines", "Clinique Sainte-Marthe", "2022-09", "2024-08",
              "Sept. 2022 – août 2024", note="Contrat d'apprentissage",
              bullets=["Gestion administrative du personnel", "Suivi des visites médicales"]),
            X("Animatrice de centre de loisirs", "Ville de Clisson", "2021-07", "2021-08", "Juillet – août 2021"),
        ],
        edu_heading="Formation",
        education=[
            E("Master Gestion des ressources humaines", "IAE de Nantes", "2024"),
            E("Licence Administration économique et sociale", "Université de Nantes", "2022"),
        ],
        skills_heading="Compétences",
        skills=["Recrutement", "Droit du travail", "Pack Office", "Communication écrite"],
        languages_heading="Langues", languages=["Anglais", "Allemand"],
        interests=["Handball", "Voyages"],
    ),
    dict(
        id="06-guerin-patrick", fmt="docx", layout="docx-tab-dates-gap",
        shown_name="GUÉRIN Patrick", name="Patrick Guérin", headline="Agent d'accueil – reconversion",
        email="patrick.guerin@exemple.org", phone="07 62 18 44 90", phone_e164="+33762184490",
        address=["La Ville Jégu", "22300 Lannion"], city="Lannion",
        exp_heading="Expérience",
        gap=("2018 – 2019", "Recherche d'emploi et bilan de compétences"),
        experiences=[
            X("Agent d'accueil et d'état civil", "Mairie de Perros-Guirec", "2020-01", "present",
              "Janvier 2020 à ce jour",
              bullets=["Accueil physique et téléphonique", "Actes d'état civil et recensement citoyen"]),
            X("Commercial sédentaire", "Négoce Breizh Matériaux", "2012", "2018", "De 2012 à 2018", place="Saint-Brieuc",
              bullets=["Gestion d'un portefeuille de 300 clients professionnels"]),
            X("Vendeur conseil", "Bricolage du Trégor", "2008", "2012", "2008 – 2012", place="Lannion"),
        ],
        edu_heading="Formations",
        education=[
            E("Titre professionnel Agent d'accueil et d'information", "GRETA des Côtes-d'Armor", "2019"),
            E("BTS Technico-commercial", "Lycée Félix Le Dantec", "2008"),
        ],
        skills_heading="Savoir-être et savoir-faire",
        skills=["Accueil du public", "Logiciel d'état civil", "Gestion des conflits", "Sens du service public"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Pêche", "Club de randonnée"],
    ),
    dict(
        id="07-ndiaye-aissatou", fmt="odt", layout="odt-dates-first-part-time",
        shown_name="Aïssatou Ndiaye", name="Aïssatou Ndiaye", headline="Secrétaire de mairie",
        email="aissatou.ndiaye@example.org", phone="06 12 09 87 34", phone_e164="+33612098734",
        address=["2 hent ar Feunteun", "29880 Plouguerneau"], city="Plouguerneau",
        exp_heading="Expériences",
        experiences=[
            X("Secrétaire de mairie", "Mairie de Landéda", "2018", "present", "2018 – présent", note="mi-temps",
              bullets=["Budget communal et paie des agents", "Préparation des conseils municipaux"]),
            X("Agente d'accueil", "Médiathèque du Pays des Abers", "2019", "present", "2019 – présent", note="mi-temps"),
            X("Assistante administrative", "Office de tourisme de Brest", "2014-04", "2017-12", "04/2014 – 12/2017"),
        ],
        edu_heading="Formation",
        education=[
            E("Licence professionnelle Métiers de l'administration territoriale", "Université de Bretagne occidentale", "2014"),
        ],
        skills_heading="Compétences",
        skills=["Comptabilité publique", "Urbanisme", "Logiciels Berger-Levrault", "Rédaction d'actes"],
        languages_heading="Langues", languages=["Anglais", "Wolof"],
        interests=["Couture", "Association de parents d'élèves"],
    ),
    dict(
        id="08-picard-laurent", fmt="odt", layout="odt-title-then-pipe-line",
        shown_name="PICARD Laurent", name="Laurent Picard", headline="Agent des espaces verts",
        email="laurent.picard@example.fr", phone="06-84-55-20-17", phone_e164="+33684552017",
        address=["11 rue du Pont Neuf", "29300 Quimperlé"], city="Quimperlé",
        exp_heading="PARCOURS",
        experiences=[
            X("Agent des espaces verts", "Ville de Quimperlé", "2018", "present", "2018 – présent", place="Quimperlé",
              bullets=["Tonte, taille et fleurissement", "Entretien du matériel"]),
            X("Ouvrier paysagiste", "Jardins de l'Ellé", "2012-04", "2017-12", "04/2012 – 12/2017", place="Mellac"),
            X("Saisonnier espaces verts", "Camping Les Embruns", "2011-05", "2011-09", "Mai – sept. 2011",
              place="Clohars-Carnoët"),
        ],
        edu_heading="FORMATION",
        education=[
            E("BP Aménagements paysagers", "CFA agricole de Kerplouz", "2012"),
            E("CAP Jardinier paysagiste", "Lycée horticole de Kerplouz", "2010"),
        ],
        skills_heading="SAVOIR-FAIRE",
        skills=["Taille raisonnée", "Gestion différenciée", "CACES R482", "Certiphyto"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=["Jardinage", "Football"],
    ),
    dict(
        id="09-lebrun-camille", fmt="txt", layout="txt-underlined-dates-line-first",
        shown_name="Camille Lebrun", name="Camille Lebrun", headline="Éducatrice spécialisée",
        email="camille.lebrun@exemple.fr", phone="07 58 63 21 40", phone_e164="+33758632140",
        address=["19 boulevard Clemenceau", "22000 Saint-Brieuc"], city="Saint-Brieuc",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Éducatrice spécialisée", "Foyer départemental de l'enfance", "2020-10", "present", "Depuis octobre 2020",
              place="Saint-Brieuc",
              bullets=["Accompagnement éducatif d'adolescents placés", "Rédaction des rapports de situation"]),
            X("Monitrice-éducatrice", "Association Les Genêts", "2017", "2020", "2017-2020", place="Dinan"),
            X("Animatrice périscolaire", "Ville de Lamballe", "2016", "2016", "2016 (6 mois)", place="Lamballe"),
        ],
        edu_heading="Formation",
        education=[
            E("Diplôme d'État d'éducateur spécialisé", "IRTS de Bretagne", "2020"),
            E("Diplôme d'État de moniteur-éducateur", "ADESS 22", "2017"),
        ],
        skills_heading="Compétences",
        skills=["Protection de l'enfance", "Travail en équipe pluridisciplinaire", "Médiation", "Écrits professionnels"],
        languages_heading="Langues", languages=["Anglais", "Langue des signes française"],
        interests=["Escalade", "Guitare"],
    ),
    dict(
        id="10-garnier-mathieu", fmt="txt", layout="txt-cp1252-pipe-rows-gap",
        shown_name="GARNIER Mathieu", name="Mathieu Garnier", headline="Gestionnaire budgétaire et financier",
        email="mathieu.garnier@example.org", phone="06 33 47 58 96", phone_e164="+33633475896",
        address=["4 place de l'Église", "29800 Landerneau"], city="Landerneau",
        exp_heading="EXPÉRIENCE PROFESSIONNELLE",
        gap=("2021 - 2022", "Recherche d'emploi"),
        experiences=[
            X("Gestionnaire budgétaire", "Syndicat mixte du Léon", "2022-03", "present", "03/2022 - aujourd'hui",
              place="Landerneau"),
            X("Comptable", "Garage Le Roux Automobiles", "2015-09", "2021-06", "09/2015 - 06/2021", place="Brest"),
            X("Employé administratif", "Coopérative agricole de l'Élorn", "2012-01", "2015-08", "01/2012 - 08/2015",
              place="Landivisiau"),
        ],
        edu_heading="DIPLÔMES",
        education=[
            E("BTS Comptabilité et gestion", "Lycée Vauban", "2011"),
        ],
        skills_heading="COMPÉTENCES",
        skills=["Préparation budgétaire", "Comptabilité M57", "Ciril Finances", "Analyse financière"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=["Course à pied", "Échecs"],
    ),
    dict(
        id="11-tanguy-lea", fmt="md", layout="md-h3-title-italic-org",
        shown_name="Léa Tanguy", name="Léa Tanguy", headline="Assistante de gestion administrative et financière",
        email="lea.tanguy@exemple.org", phone="06 95 12 70 38", phone_e164="+33695127038",
        address=["7 rue de Brest", "29600 Morlaix"], city="Morlaix",
        exp_heading="Expériences",
        experiences=[
            X("Assistante de gestion financière", "Centre intercommunal d'action sociale de Morlaix", "2020-02", "present",
              "02/2020 – aujourd'hui",
              bullets=["Suivi des subventions", "Préparation des bons de commande"]),
            X("Secrétaire comptable", "Transports Kerhervé", "2016-09", "2020-01", "sept. 2016 – janv. 2020",
              bullets=["Facturation clients", "Relances et encaissements"]),
            X("Agente administrative", "Lycée agricole de Suscinio", "2015", "2016", "2015 – 2016", note="temps partiel"),
        ],
        edu_heading="Formation",
        education=[
            E("BTS Gestion de la PME", "Lycée Tristan Corbière", "2015"),
        ],
        skills_heading="Compétences",
        skills=["Comptabilité publique", "Marchés publics", "Excel", "Accueil téléphonique"],
        languages_heading="Langues", languages=["Anglais", "Espagnol"],
        interests=["Danse bretonne"],
    ),
    dict(
        id="12-le-bihan-yann", fmt="md", layout="md-table",
        shown_name="LE BIHAN Yann", name="Yann Le Bihan", headline="Technicien support informatique",
        email="yann.lebihan@example.fr", phone="07 49 88 16 25", phone_e164="+33749881625",
        address=["22 rue de Tréguier", "22300 Lannion"], city="Lannion",
        exp_heading="Emplois occupés",
        experiences=[
            X("Technicien support informatique", "Lannion-Trégor Communauté", "2021", "present", "2021 – présent"),
            X("Technicien helpdesk", "InfoServ Bretagne", "2019-09", "2021-08", "09/2019 – 08/2021"),
            X("Stagiaire administrateur réseau", "Collège Charles Le Goffic", "2019", "2019", "2019 (6 mois)"),
        ],
        edu_heading="Diplômes et formations",
        education=[
            E("BTS Services informatiques aux organisations", "Lycée Félix Le Dantec", "2019"),
        ],
        skills_heading="Compétences",
        skills=["Windows Server", "Active Directory", "GLPI", "Réseaux TCP/IP"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Jeux de rôle", "Radio amateur"],
    ),
]


def exp_line_poste_employeur(x):
    s = x["title"] + (f" ({x['note']})" if x["note"] else "")
    s += " — " + x["org"]
    if x["place"]:
        s += ", " + x["place"]
    return s


# ---------------------------------------------------------------- PDF (reportlab canvas)
def make_pdf(p, path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    W, H = A4
    c = canvas.Canvas(path, pagesize=A4)
    c.setTitle(p["name"])
    lay = p["layout"]

    def txt(x, y, s, font="Helvetica", size=10):
        c.setFont(font, size)
        c.drawString(x, y, s)

    if lay == "pdf-two-column-sidebar":
        c.setFillColorRGB(0.92, 0.94, 0.97)
        c.rect(0, 0, 185, H, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        # sidebar
        y = H - 60
        sx = 22
        txt(sx, y, "CONTACT", "Helvetica-Bold", 11); y -= 18
        for line in p["address"] + [p["phone"], p["email"]]:
            txt(sx, y, line, size=8.5); y -= 13
        y -= 16
        txt(sx, y, p["skills_heading"].upper(), "Helvetica-Bold", 11); y -= 18
        for s in p["skills"]:
            txt(sx, y, "• " + s, size=8.5); y -= 13
        y -= 16
        txt(sx, y, p["languages_heading"].upper(), "Helvetica-Bold", 11); y -= 18
        for s, lvl in zip(p["languages"], ["courant", "notions"]):
            txt(sx, y, f"{s} – {lvl}", size=8.5); y -= 13
        y -= 16
        txt(sx, y, "CENTRES D'INTÉRÊT", "Helvetica-Bold", 11); y -= 18
        for s in p["interests"]:
            txt(sx, y, s, size=8.5); y -= 13
        # main column
        mx = 205
        y = H - 62
        txt(mx, y, p["shown_name"], "Helvetica-Bold", 20); y -= 22
        txt(mx, y, p["headline"], "Helvetica-Oblique", 12); y -= 40
        txt(mx, y, p["exp_heading"], "Helvetica-Bold", 12); y -= 20
        for x in p["experiences"]:
            txt(mx, y, x["dates"], "Helvetica-Oblique", 9); y -= 13
            txt(mx, y, x["title"] + " — " + x["org"] + ", " + x["place"], "Helvetica-Bold", 9.5); y -= 13
            for b in x["bullets"]:
                txt(mx + 8, y, "– " + b, size=9); y -= 12
            y -= 10
        y -= 10
        txt(mx, y, p["edu_heading"], "Helvetica-Bold", 12); y -= 20
        for e in p["education"]:
            txt(mx, y, f"{e['end']}  {e['degree']}", "Helvetica-Bold", 9.5); y -= 13
            txt(mx + 30, y, e["institution"], size=9); y -= 16
    elif lay == "pdf-dates-right":
        L, R = 56, W - 56
        y = H - 60
        txt(L, y, p["shown_name"], "Helvetica-Bold", 18)
        c.setFont("Helvetica", 9)
        for i, line in enumerate(p["address"] + [p["phone"], p["email"]]):
            c.drawRightString(R, H - 52 - 12 * i, line)
        y -= 18
        txt(L, y, p["headline"], "Helvetica", 11)
        y -= 50
        for heading, body in [("exp", None), ("edu", None), ("skills", None), ("lang", None)]:
            if heading == "exp":
                txt(L, y, p["exp_heading"].upper(), "Helvetica-Bold", 12)
                c.line(L, y - 4, R, y - 4); y -= 22
                for x in p["experiences"]:
                    t = x["title"] + (f" ({x['note']})" if x["note"] else "")
                    txt(L, y, t, "Helvetica-Bold", 10.5)
                    c.setFont("Helvetica", 10)
                    c.drawRightString(R, y, x["dates"])
                    y -= 14
                    txt(L, y, f"{x['org']} – {x['place']}", "Helvetica-Oblique", 10); y -= 14
                    for b in x["bullets"]:
                        txt(L + 10, y, "• " + b, size=9.5); y -= 12
                    y -= 10
            elif heading == "edu":
                y -= 6
                txt(L, y, p["edu_heading"].upper(), "Helvetica-Bold", 12)
                c.line(L, y - 4, R, y - 4); y -= 22
                for e in p["education"]:
                    txt(L, y, f"{e['degree']}, {e['institution']}", size=10)
                    c.drawRightString(R, y, e["end"]); y -= 16
            elif heading == "skills":
                y -= 10
                txt(L, y, p["skills_heading"].upper(), "Helvetica-Bold", 12)
                c.line(L, y - 4, R, y - 4); y -= 22
                txt(L, y, " · ".join(p["skills"]), size=10); y -= 16
            else:
                y -= 10
                txt(L, y, p["languages_heading"].upper(), "Helvetica-Bold", 12)
                c.line(L, y - 4, R, y - 4); y -= 22
                txt(L, y, "Anglais : B2 – Arabe : langue maternelle", size=10); y -= 16
    elif lay == "pdf-table":
        L, R = 50, W - 50
        y = H - 60
        txt(L, y, p["shown_name"], "Helvetica-Bold", 18); y -= 20
        txt(L, y, p["headline"], "Helvetica", 12); y -= 18
        txt(L, y, ", ".join(p["address"]), size=9); y -= 12
        txt(L, y, f"Tél. : {p['phone']}   |   Courriel : {p['email']}", size=9); y -= 40
        txt(L, y, p["exp_heading"], "Helvetica-Bold", 13); y -= 10
        cols = [L, L + 85, L + 260, L + 420, R]
        rows = [("Période", "Fonction", "Employeur", "Lieu")] + [
            (x["dates"], x["title"], x["org"], x["place"]) for x in p["experiences"]]
        rh = 20
        for i, row in enumerate(rows):
            top = y
            for j in range(4):
                c.rect(cols[j], top - rh, cols[j + 1] - cols[j], rh, stroke=1, fill=0)
                txt(cols[j] + 4, top - 14, row[j], "Helvetica-Bold" if i == 0 else "Helvetica", 8.5)
            y -= rh
        y -= 30
        txt(L, y, p["edu_heading"], "Helvetica-Bold", 13); y -= 18
        for e in p["education"]:
            txt(L, y, f"{e['end']} – {e['degree']} ({e['institution']})", size=10); y -= 14
        y -= 20
        txt(L, y, p["skills_heading"], "Helvetica-Bold", 13); y -= 18
        for s in p["skills"]:
            txt(L + 6, y, "- " + s, size=10); y -= 13
        y -= 20
        txt(L, y, p["languages_heading"], "Helvetica-Bold", 13); y -= 18
        txt(L, y, "Anglais (niveau intermédiaire)", size=10); y -= 14
    c.showPage()
    c.save()


# ---------------------------------------------------------------- DOCX (python-docx)
def make_docx(p, path):
    from docx import Document
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    d = Document()
    sec = d.sections[0]
    lay = p["layout"]

    def para(text="", bold=False, italic=False, size=None, style=None):
        q = d.add_paragraph(style=style)
        if text:
            r = q.add_run(text)
            r.bold, r.italic = bold, italic
            if size:
                r.font.size = Pt(size)
        return q

    if lay == "docx-page-header-employer-first":
        hdr = sec.header
        h0 = hdr.paragraphs[0]
        r = h0.add_run(p["shown_name"]); r.bold = True; r.font.size = Pt(16)
        hdr.add_paragraph(" – ".join(p["address"]))
        hdr.add_paragraph(f"{p['phone']} · {p['email']}")
        para(p["headline"], bold=True, size=14)
        d.add_heading(p["exp_heading"], level=1)
        for x in p["experiences"]:
            para(x["org"], bold=True)
            para(x["title"], italic=True)
            para(x["dates"])
            for b in x["bullets"]:
                d.add_paragraph(b, style="List Bullet")
        d.add_heading(p["edu_heading"], level=1)
        for e in p["education"]:
            para(f"{e['degree']} – {e['institution']} ({e['end']})")
        d.add_heading(p["skills_heading"], level=1)
        for s in p["skills"]:
            d.add_paragraph(s, style="List Bullet")
        d.add_heading(p["languages_heading"], level=1)
        para("Anglais : lu, écrit, parlé (B1)")
        d.add_heading("Centres d'intérêt", level=1)
        para(", ".join(p["interests"]))
    elif lay == "docx-table-rows":
        para(p["shown_name"], bold=True, size=20)
        para(p["headline"], size=12)
        para(f"{' '.join(p['address'])}  |  {p['phone']}  |  {p['email']}", size=9)
        for head in ["exp", "edu"]:
            if head == "exp":
                d.add_heading(p["exp_heading"], level=2)
                t = d.add_table(rows=0, cols=2)
                for x in p["experiences"]:
                    cells = t.add_row().cells
                    cells[0].width = Cm(4)
                    cells[0].paragraphs[0].add_run(x["dates"])
                    r = cells[1].paragraphs[0].add_run(x["title"]); r.bold = True
                    cells[1].add_paragraph(x["org"])
                    if x["note"]:
                        cells[1].add_paragraph(x["note"]).runs[0].italic = True
                    for b in x["bullets"]:
                        cells[1].add_paragraph("• " + b)
            else:
                d.add_heading(p["edu_heading"], level=2)
                t = d.add_table(rows=0, cols=2)
                for e in p["education"]:
                    cells = t.add_row().cells
                    cells[0].paragraphs[0].add_run(e["end"])
                    cells[1].paragraphs[0].add_run(e["degree"]).bold = True
                    cells[1].add_paragraph(e["institution"])
        d.add_heading(p["skills_heading"], level=2)
        para(", ".join(p["skills"]))
        d.add_heading(p["languages_heading"], level=2)
        para("Anglais (C1), Allemand (B1)")
        d.add_heading("Centres d'intérêt", level=2)
        para(" – ".join(p["interests"]))
    elif lay == "docx-tab-dates-gap":
        para(p["shown_name"], bold=True, size=18)
        para(p["headline"], italic=True)
        para(p["address"][0] + ", " + p["address"][1])
        para("Portable : " + p["phone"])
        para("Mél : " + p["email"])
        right = sec.page_width - sec.left_margin - sec.right_margin
        para(p["exp_heading"].upper(), bold=True, size=13)
        entries = [x for x in p["experiences"]]
        rows = [("x", entries[0]), ("gap", p["gap"])] + [("x", x) for x in entries[1:]]
        for kind, x in rows:
            q = d.add_paragraph()
            q.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            if kind == "gap":
                q.add_run(x[1]).bold = True
                q.add_run("\t" + x[0])
                continue
            q.add_run(x["title"]).bold = True
            q.add_run("\t" + x["dates"])
            org = x["org"] + (f", {x['place']}" if x["place"] else "")
            para(org, italic=True)
            for b in x["bullets"]:
                d.add_paragraph(b, style="List Bullet")
        para(p["edu_heading"].upper(), bold=True, size=13)
        for e in p["education"]:
            q = d.add_paragraph()
            q.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            q.add_run(f"{e['degree']} – {e['institution']}")
            q.add_run("\t" + e["end"])
        para(p["skills_heading"].upper(), bold=True, size=13)
        for s in p["skills"]:
            d.add_paragraph(s, style="List Bullet")
        para(p["languages_heading"].upper(), bold=True, size=13)
        para("Anglais : niveau scolaire")
    d.core_properties.author = p["name"]
    d.save(path)


# ---------------------------------------------------------------- ODT (odfpy)
def make_odt(p, path):
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TabStop, TabStops, TextProperties
    from odf.text import H, LineBreak, List, ListItem, P, Span, Tab

    doc = OpenDocumentText()
    bold = Style(name="B", family="text"); bold.addElement(TextProperties(fontweight="bold"))
    ital = Style(name="I", family="text"); ital.addElement(TextProperties(fontstyle="italic"))
    big = Style(name="Big", family="paragraph"); big.addElement(TextProperties(fontsize="18pt", fontweight="bold"))
    hs = Style(name="Heading 1", family="paragraph"); hs.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
    tabbed = Style(name="Tabbed", family="paragraph")
    pp = ParagraphProperties()
    ts = TabStops(); ts.addElement(TabStop(position="17cm", type="right")); pp.addElement(ts)
    tabbed.addElement(pp)
    for s in (bold, ital):
        doc.automaticstyles.addElement(s)
    for s in (big, hs, tabbed):
        doc.styles.addElement(s)
    t = doc.text
    lay = p["layout"]

    def para(*parts, style=None):
        q = P(stylename=style) if style else P()
        for part in parts:
            if isinstance(part, tuple):
                sp = Span(stylename=part[1], text=part[0]); q.addElement(sp)
            elif part == "\t":
                q.addElement(Tab())
            elif part == "\n":
                q.addElement(LineBreak())
            else:
                q.addText(part)
        t.addElement(q)

    def heading(s):
        t.addElement(H(outlinelevel=1, stylename=hs, text=s))

    if lay == "odt-dates-first-part-time":
        para(p["shown_name"], style=big)
        para(p["headline"])
        para(p["address"][0], "\n", p["address"][1], "\n", "Tél : " + p["phone"], "\n", p["email"])
        heading(p["exp_heading"])
        for x in p["experiences"]:
            para((x["dates"] + " : ", bold), (x["title"] + f" ({x['note']})" if x["note"] else x["title"], bold),
                 ", " + x["org"])
            if x["bullets"]:
                lst = List()
                for b in x["bullets"]:
                    li = ListItem(); li.addElement(P(text=b)); lst.addElement(li)
                t.addElement(lst)
        heading(p["edu_heading"])
        for e in p["education"]:
            para(f"{e['end']} : {e['degree']}, {e['institution']}")
        heading(p["skills_heading"])
        para(" / ".join(p["skills"]))
        heading(p["languages_heading"])
        para("Wolof (langue maternelle), Anglais (B1)")
        heading("Centres d'intérêt")
        para(", ".join(p["interests"]))
    elif lay == "odt-title-then-pipe-line":
        para(p["shown_name"], style=big)
        para((p["headline"], ital))
        para(f"{p['address'][0]}, {p['address'][1]} – {p['phone']} – {p['email']}")
        heading(p["exp_heading"])
        for x in p["experiences"]:
            para((x["title"], bold))
            para(f"{x['org']} | {x['place']} | {x['dates']}")
            for b in x["bullets"]:
                para("• " + b)
        heading(p["edu_heading"])
        for e in p["education"]:
            para((e["degree"], bold), "\t", e["end"], style=tabbed)
            para(e["institution"])
        heading(p["skills_heading"])
        for s in p["skills"]:
            para("• " + s)
        heading(p["languages_heading"])
        para("Anglais : notions")
    doc.save(path)


# ---------------------------------------------------------------- TXT and Markdown
def text_lines(p):
    lay = p["layout"]
    out = []
    if lay == "txt-underlined-dates-line-first":
        out += [p["shown_name"], p["headline"], "", *p["address"], p["phone"], p["email"], "", ""]
        h = p["exp_heading"]; out += [h, "=" * len(h), ""]
        for x in p["experiences"]:
            out += [x["dates"], f"{x['title']} – {x['org']} ({x['place']})"]
            out += ["  * " + b for b in x["bullets"]]
            out += [""]
        out += [""]
        h = p["edu_heading"]; out += [h, "=" * len(h), ""]
        for e in p["education"]:
            out += [f"{e['degree']} – {e['institution']}, {e['end']}"]
        out += ["", ""]
        h = p["skills_heading"]; out += [h, "=" * len(h), ""]
        out += ["  * " + s for s in p["skills"]]
        out += ["", ""]
        h = p["languages_heading"]; out += [h, "=" * len(h), ""]
        out += ["Anglais (B1), langue des signes française (niveau 2)", "", ""]
        h = "Centres d'intérêt"; out += [h, "=" * len(h), ""]
        out += [", ".join(p["interests"])]
    elif lay == "txt-cp1252-pipe-rows-gap":
        out += [p["shown_name"], p["headline"], " - ".join(p["address"]),
                f"Tél. {p['phone']} - {p['email']}", "", ""]
        out += [p["exp_heading"], "-" * len(p["exp_heading"])]
        rows = [p["experiences"][0], p["gap"]] + p["experiences"][1:]
        for x in rows:
            if isinstance(x, tuple):
                out += [f"{x[0]:<22}| {x[1]}"]
                continue
            out += [f"{x['dates']:<22}| {x['title']} | {x['org']} | {x['place']}"]
        out += ["", ""]
        out += [p["edu_heading"], "-" * len(p["edu_heading"])]
        for e in p["education"]:
            out += [f"{e['end']:<22}| {e['degree']} | {e['institution']}"]
        out += ["", ""]
        out += [p["skills_heading"], "-" * len(p["skills_heading"])]
        out += [", ".join(p["skills"]), "", ""]
        out += [p["languages_heading"], "-" * len(p["languages_heading"])]
        out += ["Anglais : intermédiaire", "", ""]
        out += ["CENTRES D'INTÉRÊT", "-" * 17, ", ".join(p["interests"])]
    elif lay == "md-h3-title-italic-org":
        out += [f"# {p['shown_name']}", "", f"**{p['headline']}**", "",
                f"{p['address'][0]}, {p['address'][1]}  ", f"📞 {p['phone']}  ", f"✉️ {p['email']}", ""]
        out += [f"## {p['exp_heading']}", ""]
        for x in p["experiences"]:
            out += [f"### {x['title']}", ""]
            note = f" ({x['note']})" if x["note"] else ""
            out += [f"*{x['org']}* — {x['dates']}{note}", ""]
            out += ["- " + b for b in x["bullets"]]
            if x["bullets"]:
                out += [""]
        out += [f"## {p['edu_heading']}", ""]
        for e in p["education"]:
            out += [f"- **{e['degree']}**, {e['institution']} ({e['end']})"]
        out += ["", f"## {p['skills_heading']}", ""]
        out += ["- " + s for s in p["skills"]]
        out += ["", f"## {p['languages_heading']}", "", "- Anglais : B2", "- Espagnol : A2", ""]
        out += ["## Centres d'intérêt", "", ", ".join(p["interests"])]
    elif lay == "md-table":
        out += [f"# {p['shown_name']}", "", p["headline"], "",
                f"- Adresse : {p['address'][0]}, {p['address'][1]}", f"- Téléphone : {p['phone']}",
                f"- E-mail : <{p['email']}>", ""]
        out += [f"## {p['exp_heading']}", "", "| Période | Poste | Employeur |", "|---|---|---|"]
        for x in p["experiences"]:
            out += [f"| {x['dates']} | {x['title']} | {x['org']} |"]
        out += ["", f"## {p['edu_heading']}", ""]
        for e in p["education"]:
            out += [f"- {e['end']} : {e['degree']} — {e['institution']}"]
        out += ["", f"## {p['skills_heading']}", "", ", ".join(p["skills"]), "",
                f"## {p['languages_heading']}", "", "Anglais technique (B2)", "",
                "## Centres d'intérêt", "", ", ".join(p["interests"])]
    return out


def make_text(p, path):
    lines = text_lines(p)
    if p["layout"] == "txt-cp1252-pipe-rows-gap":
        with open(path, "wb") as f:
            f.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def truth_line(p):
    return dict(
        file=f"{p['id']}.{p['fmt']}", name=p["name"], email=p["email"], phone=p["phone_e164"], city=p["city"],
        experiences=[dict(title=x["title"], organization=x["org"], start=x["start"], end=x["end"])
                     for x in p["experiences"]],
        education=[dict(degree=e["degree"], institution=e["institution"], start=e["start"], end=e["end"])
                   for e in p["education"]],
        skills=p["skills"], languages=p["languages"], lang="fr", layout=p["layout"],
        note="fictional person; written by make.py",
    )


# ---------------------------------------------------------------- round 2
# Eight more people, written after round 1 had been scored and fixed, before looking at what
# the parser makes of them: a fresh held-out check of the fixes (truth-round2.jsonl).
ROUND2 = [
    dict(
        id="13-riou-morgane", fmt="docx", layout="docx-whole-page-table-sidebar",
        shown_name="Morgane RIOU", name="Morgane Riou", headline="Agente de restauration scolaire",
        email="morgane.riou@example.fr", phone="06 20 41 63 85", phone_e164="+33620416385",
        address=["3 rue des Écoles", "29490 Guipavas"], city="Guipavas",
        exp_heading="Mon parcours",
        experiences=[
            X("Agente de restauration scolaire", "Commune de Guipavas", "2019", "2023", "2019 – 2023", place="Guipavas"),
            X("Commis de cuisine", "Restaurant Le Vauban", "2016-03", "2019-08", "03/2016 – 08/2019", place="Brest"),
            X("Employée polyvalente", "Supermarché Coop Atlantique", "2014", "2016", "2014 – 2016", place="Plougastel"),
        ],
        edu_heading="Formation",
        education=[E("CAP Cuisine", "Lycée hôtelier de Dinard", "2014")],
        skills_heading="Atouts", skills=["Normes HACCP", "Travail en équipe", "Préparation froide"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Pâtisserie"],
    ),
    dict(
        id="14-cadiou-erwan", fmt="pdf", layout="pdf-timeline-date-column",
        shown_name="Erwan CADIOU", name="Erwan Cadiou", headline="Agent de maîtrise – bâtiments communaux",
        email="erwan.cadiou@exemple.org", phone="07 11 58 32 64", phone_e164="+33711583264",
        address=["Kerbrat", "29260 Lesneven"], city="Lesneven",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Agent de maîtrise bâtiments", "Ville de Landerneau", "2022-09", "present", "depuis septembre 2022",
              bullets=["Encadrement de 6 agents techniques", "Suivi des contrôles réglementaires"]),
            X("Électricien", "SARL Élec Abers", "2012-01", "2022-08", "01/2012 – 08/2022",
              bullets=["Installations électriques tertiaires"]),
            X("Électricien intérimaire", "Agence Intérim Ouest", "2010", "2011", "2010 – 2011"),
        ],
        edu_heading="Formation",
        education=[E("Bac professionnel Électrotechnique", "Lycée Saint-Joseph", "2010")],
        skills_heading="Compétences", skills=["Habilitation électrique BR", "Encadrement", "Lecture de plans"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Rugby"],
    ),
    dict(
        id="15-quere-maelle", fmt="odt", layout="odt-table-page-header",
        shown_name="Maëlle Quéré", name="Maëlle Quéré", headline="Auxiliaire de puériculture",
        email="maelle.quere@example.org", phone="06 54 87 21 09", phone_e164="+33654872109",
        address=["15 rue Victor Hugo", "29100 Douarnenez"], city="Douarnenez",
        exp_heading="EMPLOIS OCCUPÉS",
        experiences=[
            X("Auxiliaire de puériculture", "Crèche municipale Les Lutins", "2017", "present", "2017 – aujourd'hui",
              place="Douarnenez"),
            X("Assistante maternelle agréée", "Particulier employeur", "2012", "2017", "2012 – 2017", place="Pouldergat"),
            X("Agente de service hospitalier", "Hôpital local de Douarnenez", "2009-10", "2012-06", "oct. 2009 – juin 2012",
              place="Douarnenez"),
        ],
        edu_heading="FORMATION",
        education=[E("Diplôme d'État d'auxiliaire de puériculture", "IFAP de Quimper", "2017")],
        skills_heading="COMPÉTENCES", skills=["Soins d'hygiène", "Éveil du jeune enfant", "Protocoles sanitaires"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=["Chant choral"],
    ),
    dict(
        id="16-le-roux-gwenaelle", fmt="txt", layout="txt-form-header-chez",
        shown_name="LE ROUX", first_name="Gwenaëlle", name="Gwenaëlle Le Roux", headline="Aide à domicile",
        email="gwen.leroux@example.fr", phone="06 77 40 12 58", phone_e164="+33677401258",
        address=["6 rue de la Gare", "29260 Lesneven"], city="Lesneven",
        exp_heading="EXPERIENCES :",
        experiences=[
            X("Aide à domicile", "ADMR du Pays de Lesneven", "2015-01", "2019-03", "De janvier 2015 à mars 2019"),
            X("Auxiliaire de vie sociale", "Centre communal d'action sociale de Brest", "2019-04", "present",
              "Depuis avril 2019"),
            X("Agente d'entretien", "Collège Saint-François", "2011", "2014", "De 2011 à 2014"),
        ],
        edu_heading="FORMATIONS :",
        education=[E("Diplôme d'État d'accompagnant éducatif et social", "GRETA de Bretagne occidentale", "2019")],
        skills_heading="COMPETENCES :", skills=["Aide à la toilette", "Préparation des repas", "Écoute"],
        languages_heading="LANGUES :", languages=["Breton"],
        interests=["Marche nordique"],
    ),
    dict(
        id="17-kerleroux-thomas", fmt="md", layout="md-cv-title-bold-pipe",
        shown_name="Thomas Kerleroux", name="Thomas Kerleroux", headline="Chargé de mission développement économique",
        email="thomas.kerleroux@exemple.fr", phone="+33 7 68 90 12 34", phone_e164="+33768901234",
        address=["40 quai de l'Odet", "29000 Quimper"], city="Quimper",
        exp_heading="Expérience professionnelle",
        experiences=[
            X("Chargé de mission développement économique", "Quimper Cornouaille Développement", "2020", "2023",
              "2020-2023"),
            X("Chef de projet", "Agence Armor Conseil", "2017-06", "2020-02", "juin 2017 – févr. 2020"),
            X("Chargé d'études", "Chambre de commerce et d'industrie de Brest", "2015", "2017", "2015 – 2017",
              note="CDD"),
        ],
        edu_heading="Formation",
        education=[E("Master Aménagement du territoire", "Université Rennes 2", "2015")],
        skills_heading="Compétences", skills=["Montage de projets", "Animation de réseaux", "SIG (QGIS)"],
        languages_heading="Langues", languages=["Anglais", "Espagnol"],
        interests=["Voile"],
    ),
    dict(
        id="18-abgrall-chloe", fmt="pdf", layout="pdf-employer-caps-first",
        shown_name="Chloé Abgrall", name="Chloé Abgrall", headline="Jeune diplômée en contrôle de gestion",
        email="chloe.abgrall@example.org", phone="06 02 35 68 91", phone_e164="+33602356891",
        address=["12 rue Jean Moulin", "29200 Brest"], city="Brest",
        exp_heading="EXPÉRIENCES",
        experiences=[
            X("Stagiaire contrôle de gestion", "CONSEIL DÉPARTEMENTAL DU FINISTÈRE", "2023-02", "2023-07",
              "Février – juillet 2023", place="Quimper",
              bullets=["Tableaux de bord des dépenses sociales", "Analyse des coûts des EHPAD"]),
            X("Assistante comptable en alternance", "CABINET LE BRIS EXPERTISE", "2021-09", "2022-08",
              "Sept. 2021 – août 2022", place="Brest"),
            X("Hôtesse de caisse", "HYPERMARCHÉ DU PONANT", "2019-07", "2019-08", "Été 2019 (juillet – août)",
              place="Brest"),
        ],
        edu_heading="FORMATION",
        education=[E("Master Contrôle de gestion et audit", "IAE de Bretagne occidentale", "2023")],
        skills_heading="COMPÉTENCES", skills=["Excel (TCD)", "Power BI", "Analyse des coûts"],
        languages_heading="LANGUES", languages=["Anglais", "Italien"],
        interests=["Danse"],
    ),
    dict(
        id="19-le-gall-claire", fmt="docx", layout="docx-bullet-entries-civility",
        shown_name="Madame Claire LE GALL", name="Claire Le Gall", headline="Secrétaire médicale",
        email="claire.legall@exemple.org", phone="+33 (0)6 41 25 86 73", phone_e164="+33641258673",
        address=["9 place de la Mairie", "29800 Plabennec"], city="Plabennec",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Secrétaire médicale", "Centre de santé municipal", "2021", "present", "2021 – présent", place="Brest"),
            X("Auxiliaire de puériculture", "Crèche Les Petits Mousses", "2017", "2021", "2017-2021", place="Brest"),
            X("Vendeuse", "Boulangerie Le Fournil", "2015", "2017", "2015-2017", place="Plabennec"),
        ],
        edu_heading="Formation",
        education=[E("Titre professionnel Secrétaire assistante médico-administrative", "AFPA de Brest", "2021")],
        skills_heading="Compétences", skills=["Terminologie médicale", "Gestion des rendez-vous", "Logiciel Doctolib"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Lecture"],
    ),
    dict(
        id="20-bozec-yannick", fmt="txt", layout="txt-cp1252-tab-columns",
        shown_name="Yannick BOZEC", name="Yannick Bozec", headline="Agent de maîtrise voirie",
        email="yannick.bozec@example.fr", phone="06.86.13.57.24", phone_e164="+33686135724",
        address=["Lieu-dit Penhoat", "29410 Pleyber-Christ"], city="Pleyber-Christ",
        exp_heading="Emplois occupés",
        experiences=[
            X("Agent de maîtrise", "Morlaix Communauté", "2016", "present", "2016 - ce jour", place="Morlaix"),
            X("Chef d'équipe voirie", "Ville de Morlaix", "2008", "2016", "2008 - 2016", place="Morlaix"),
            X("Conducteur d'engins", "Entreprise Le Saout TP", "2001", "2008", "2001 - 2008", place="Carhaix"),
        ],
        edu_heading="Formation",
        education=[E("CAP Conducteur d'engins de travaux publics", "CFA du BTP de Quimper", "2001")],
        skills_heading="Savoir-faire", skills=["CACES engins de chantier", "Signalisation de chantier", "Encadrement"],
        languages_heading="Langues", languages=[],
        interests=["Pêche en mer"],
    ),
]


def make2_pdf(p, path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    W, H = A4
    c = canvas.Canvas(path, pagesize=A4)

    def txt(x, y, s, font="Helvetica", size=10):
        c.setFont(font, size)
        c.drawString(x, y, s)

    L, R = 50, W - 50
    if p["layout"] == "pdf-timeline-date-column":
        c.setFont("Helvetica-Bold", 20)
        c.drawCentredString(W / 2, H - 60, p["shown_name"])
        c.setFont("Helvetica", 10)
        c.drawCentredString(W / 2, H - 78, p["headline"])
        c.drawCentredString(W / 2, H - 92, f"{p['address'][0]} – {p['address'][1]}  •  {p['phone']}  •  {p['email']}")
        y = H - 130
        txt(L, y, p["exp_heading"], "Helvetica-Bold", 13); c.line(L, y - 4, R, y - 4); y -= 24
        for x in p["experiences"]:
            txt(L, y, x["dates"], "Helvetica", 9)
            txt(L + 130, y, x["title"], "Helvetica-Bold", 10.5); y -= 13
            txt(L + 130, y, x["org"], "Helvetica-Oblique", 10); y -= 13
            for b in x["bullets"]:
                txt(L + 138, y, "- " + b, size=9.5); y -= 12
            y -= 10
        y -= 6
        txt(L, y, p["edu_heading"], "Helvetica-Bold", 13); c.line(L, y - 4, R, y - 4); y -= 24
        for e in p["education"]:
            txt(L, y, e["end"], size=9); txt(L + 130, y, e["degree"], "Helvetica-Bold", 10.5); y -= 13
            txt(L + 130, y, e["institution"], "Helvetica-Oblique", 10); y -= 20
        txt(L, y, p["skills_heading"], "Helvetica-Bold", 13); c.line(L, y - 4, R, y - 4); y -= 24
        txt(L, y, ", ".join(p["skills"]), size=10); y -= 30
        txt(L, y, p["languages_heading"], "Helvetica-Bold", 13); c.line(L, y - 4, R, y - 4); y -= 24
        txt(L, y, "Anglais : notions", size=10)
    else:  # pdf-employer-caps-first
        txt(L, H - 60, p["shown_name"], "Helvetica-Bold", 22)
        txt(L, H - 80, p["headline"], "Helvetica", 12)
        c.setFont("Helvetica", 9)
        for i, line in enumerate([p["phone"], p["email"], ", ".join(p["address"])]):
            c.drawRightString(R, H - 56 - 12 * i, line)
        y = H - 130
        txt(L, y, p["exp_heading"], "Helvetica-Bold", 13); y -= 22
        for x in p["experiences"]:
            txt(L, y, f"{x['org']} — {x['place']}", "Helvetica-Bold", 10); y -= 13
            txt(L, y, x["title"], "Helvetica", 10); y -= 13
            txt(L, y, x["dates"], "Helvetica-Oblique", 9); y -= 13
            for b in x["bullets"]:
                txt(L + 10, y, "› " + b, size=9.5); y -= 12
            y -= 12
        txt(L, y, p["edu_heading"], "Helvetica-Bold", 13); y -= 20
        for e in p["education"]:
            txt(L, y, f"{e['degree']} – {e['institution']} – {e['end']}", size=10); y -= 20
        txt(L, y, p["skills_heading"], "Helvetica-Bold", 13); y -= 20
        for s in p["skills"]:
            txt(L, y, "› " + s, size=10); y -= 13
        y -= 10
        txt(L, y, p["languages_heading"], "Helvetica-Bold", 13); y -= 20
        txt(L, y, "Anglais (B2) ; Italien (A2)", size=10)
    c.showPage()
    c.save()


def make2_docx(p, path):
    from docx import Document
    from docx.shared import Pt

    d = Document()
    if p["layout"] == "docx-whole-page-table-sidebar":
        t = d.add_table(rows=1, cols=2)
        left, right = t.rows[0].cells
        left.paragraphs[0].add_run("Coordonnées").bold = True
        for line in p["address"] + [p["phone"], p["email"]]:
            left.add_paragraph(line)
        left.add_paragraph().add_run(p["skills_heading"]).bold = True
        for s in p["skills"]:
            left.add_paragraph(s)
        left.add_paragraph().add_run(p["languages_heading"]).bold = True
        left.add_paragraph("Anglais : scolaire")
        r = right.paragraphs[0].add_run(p["shown_name"]); r.bold = True; r.font.size = Pt(20)
        right.add_paragraph(p["headline"])
        right.add_paragraph().add_run(p["exp_heading"]).bold = True
        for x in p["experiences"]:
            q = right.add_paragraph()
            q.add_run(f"{x['title']} — {x['org']}, {x['place']}").bold = True
            q.add_run(f" ({x['dates']})")
        right.add_paragraph().add_run(p["edu_heading"]).bold = True
        for e in p["education"]:
            right.add_paragraph(f"{e['degree']}, {e['institution']} ({e['end']})")
    else:  # docx-bullet-entries-civility
        d.add_paragraph().add_run(p["shown_name"]).bold = True
        d.add_paragraph(p["headline"])
        d.add_paragraph(f"{p['address'][0]}, {p['address'][1]}")
        d.add_paragraph(f"Tél. {p['phone']} – {p['email']}")
        d.add_heading(p["exp_heading"], level=1)
        for x in p["experiences"]:
            d.add_paragraph(f"{x['dates']} : {x['title']}, {x['org']}, {x['place']}", style="List Bullet")
        d.add_heading(p["edu_heading"], level=1)
        for e in p["education"]:
            d.add_paragraph(f"{e['end']} : {e['degree']}, {e['institution']}", style="List Bullet")
        d.add_heading(p["skills_heading"], level=1)
        for s in p["skills"]:
            d.add_paragraph(s, style="List Bullet")
        d.add_heading(p["languages_heading"], level=1)
        d.add_paragraph("Anglais : bon niveau")
    d.save(path)


def make2_odt(p, path):
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout, PageLayoutProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, Span

    doc = OpenDocumentText()
    bold = Style(name="B", family="text"); bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    pl = PageLayout(name="PL"); pl.addElement(PageLayoutProperties(margin="2cm"))
    doc.automaticstyles.addElement(pl)
    mp = MasterPage(name="Standard", pagelayoutname=pl)
    hd = Header()
    hd.addElement(P(text=p["shown_name"]))
    hd.addElement(P(text=f"{p['address'][0]}, {p['address'][1]} – {p['phone']} – {p['email']}"))
    mp.addElement(hd)
    doc.masterstyles.addElement(mp)
    t = doc.text
    t.addElement(P(text=p["headline"]))
    t.addElement(H(outlinelevel=1, text=p["exp_heading"]))
    tb = Table(name="Emplois")
    tb.addElement(TableColumn(numbercolumnsrepeated=3))
    for x in p["experiences"]:
        row = TableRow()
        for v in (x["dates"], x["title"], f"{x['org']} ({x['place']})"):
            cell = TableCell(); cell.addElement(P(text=v)); row.addElement(cell)
        tb.addElement(row)
    t.addElement(tb)
    t.addElement(H(outlinelevel=1, text=p["edu_heading"]))
    for e in p["education"]:
        t.addElement(P(text=f"{e['end']} – {e['degree']} – {e['institution']}"))
    t.addElement(H(outlinelevel=1, text=p["skills_heading"]))
    for s in p["skills"]:
        t.addElement(P(text="– " + s))
    t.addElement(H(outlinelevel=1, text=p["languages_heading"]))
    t.addElement(P(text="Anglais : lu, écrit"))
    doc.save(path)


def text2_lines(p):
    out = []
    lay = p["layout"]
    if lay == "txt-form-header-chez":
        out += ["CURRICULUM VITAE", "", f"Nom : {p['shown_name']}", f"Prénom : {p['first_name']}",
                f"Adresse : {p['address'][0]}, {p['address'][1]}", f"Téléphone : {p['phone']}",
                f"Courriel : {p['email']}", "", ""]
        out += [p["exp_heading"], ""]
        order = [p["experiences"][i] for i in (1, 0, 2)]
        for x in order:
            out += [f"{x['dates']} : {x['title']} chez {x['org']}"]
        out += ["", p["edu_heading"], ""]
        for e in p["education"]:
            out += [f"{e['end']} : {e['degree']} ({e['institution']})"]
        out += ["", p["skills_heading"], ""]
        out += ["- " + s for s in p["skills"]]
        out += ["", p["languages_heading"], "", "Breton : courant", "", "LOISIRS :", "", ", ".join(p["interests"])]
    elif lay == "txt-cp1252-tab-columns":
        out += [p["shown_name"], p["headline"], p["address"][0], p["address"][1], p["phone"], p["email"], ""]
        out += [p["exp_heading"].upper(), ""]
        for x in p["experiences"]:
            out += [f"{x['dates']}\t{x['title']}\t{x['org']}\t{x['place']}"]
        out += ["", p["edu_heading"].upper(), ""]
        for e in p["education"]:
            out += [f"{e['end']}\t{e['degree']}\t{e['institution']}"]
        out += ["", p["skills_heading"].upper(), ""]
        out += ["\t" + s for s in p["skills"]]
        out += ["", "LOISIRS", "", "\t" + ", ".join(p["interests"])]
    elif lay == "md-cv-title-bold-pipe":
        out += ["# Curriculum vitae", "", f"## {p['name']}", "", f"*{p['headline']}*", "",
                f"{p['address'][0]}, {p['address'][1]} · {p['phone']} · {p['email']}", ""]
        out += [f"## {p['exp_heading']}", ""]
        for x in p["experiences"]:
            note = f" ({x['note']})" if x["note"] else ""
            out += [f"**{x['title']}**{note} | {x['org']} | {x['dates']}", ""]
        out += [f"## {p['edu_heading']}", ""]
        for e in p["education"]:
            out += [f"**{e['degree']}** | {e['institution']} | {e['end']}", ""]
        out += [f"## {p['skills_heading']}", "", ", ".join(p["skills"]), "",
                f"## {p['languages_heading']}", "", "Anglais (C1), espagnol (B1)"]
    return out


def make2_text(p, path):
    lines = text2_lines(p)
    if p["layout"] == "txt-cp1252-tab-columns":
        with open(path, "wb") as f:
            f.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")



# ---------------------------------------------------------------- round 3
# Six more people, written after round 2 had been scored and fixed, again before looking at
# what the parser makes of them (truth-round3.jsonl).
ROUND3 = [
    dict(
        id="21-jezequel-anne", fmt="pdf", layout="pdf-two-pages-dates-right-comma",
        shown_name="Anne JÉZÉQUEL", name="Anne Jézéquel", headline="Gestionnaire des marchés publics",
        email="anne.jezequel@exemple.fr", phone="06 31 74 25 80", phone_e164="+33631742580",
        address=["21 rue de Paris", "29250 Saint-Pol-de-Léon"], city="Saint-Pol-de-Léon",
        exp_heading="EXPÉRIENCES PROFESSIONNELLES",
        experiences=[
            X("Gestionnaire marchés publics", "Communauté de communes du Haut-Léon", "2020", "2024", "2020 – 2024",
              bullets=["Rédaction des pièces administratives des consultations", "Analyse des offres",
                       "Suivi de l'exécution financière des marchés", "Veille juridique"]),
            X("Assistante juridique", "Étude de Maître Rolland", "2015", "2020", "2015 – 2020",
              bullets=["Rédaction d'actes courants", "Gestion des dossiers de succession",
                       "Accueil de la clientèle", "Archivage"]),
            X("Secrétaire", "Lycée professionnel de l'Aber", "2011", "2015", "2011 – 2015",
              bullets=["Accueil", "Courrier", "Inscriptions des élèves", "Gestion des stages",
                       "Organisation des conseils de classe", "Commandes de fournitures"]),
            X("Employée de bureau", "Transports Le Duff", "2008", "2011", "2008 – 2011",
              bullets=["Facturation", "Standard téléphonique"]),
        ],
        edu_heading="FORMATION",
        education=[E("Licence Droit public", "Université de Bretagne occidentale", "2008")],
        skills_heading="COMPÉTENCES", skills=["Code de la commande publique", "Plateforme de dématérialisation", "Rédaction juridique"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=["Randonnée"],
    ),
    dict(
        id="22-talec-sandrine", fmt="docx", layout="docx-table-header-row-footer-contact",
        shown_name="Mme Sandrine TALEC", name="Sandrine Talec", headline="Adjointe administrative – état civil",
        email="sandrine.talec@example.org", phone="07 23 56 89 14", phone_e164="+33723568914",
        address=["5 venelle du Four", "29830 Ploudalmézeau"], city="Ploudalmézeau",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Adjointe administrative", "Mairie de Ploudalmézeau", "2016-09", "present", "Depuis sept. 2016",
              bullets=["État civil, élections, cimetière", "Accueil du public"]),
            X("Agente d'accueil", "Communauté de communes du Pays d'Iroise", "2012", "2016", "2012 à 2016",
              bullets=["Standard et accueil physique"]),
            X("Caissière", "Supermarché Les Abers", "2008", "2012", "2008 à 2012"),
        ],
        edu_heading="Formation",
        education=[E("BTS Assistant de manager", "Lycée de l'Iroise", "2008")],
        skills_heading="Compétences", skills=["Logiciel Mélodie", "Rédaction d'actes d'état civil", "Accueil"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Théâtre"],
    ),
    dict(
        id="23-moal-herve", fmt="odt", layout="odt-form-fields",
        shown_name="Hervé MOAL", name="Hervé Moal", headline="Technicien informatique",
        email="herve.moal@example.fr", phone="06 48 15 92 37", phone_e164="+33648159237",
        address=["18 rue de Kerzu", "29290 Saint-Renan"], city="Saint-Renan",
        exp_heading="EXPÉRIENCE PROFESSIONNELLE",
        experiences=[
            X("Technicien informatique", "Syndicat mixte numérique du Léon", "2019-09", "2023-08",
              "du 01/09/2019 au 31/08/2023"),
            X("Assistant informatique", "Centre hospitalier de Landerneau", "2015-03", "2019-06",
              "du 02/03/2015 au 30/06/2019"),
        ],
        edu_heading="FORMATION",
        education=[E("BTS Systèmes numériques", "Lycée Vauban", "2014")],
        skills_heading="COMPÉTENCES", skills=["Windows 11", "Linux", "Téléphonie IP"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=["Informatique libre"],
    ),
    dict(
        id="24-jaouen-marc", fmt="txt", layout="txt-caps-title-a-la",
        shown_name="Marc JAOUEN", name="Marc Jaouen", headline="52 ans – permis B",
        email="marc.jaouen@example.org", phone="06 90 27 14 63", phone_e164="+33690271463",
        address=["7 rue du Port", "29830 Portsall"], city="Portsall",
        exp_heading="EXPÉRIENCE",
        experiences=[
            X("SECRÉTAIRE ADMINISTRATIF", "Mairie de Ploudalmézeau", "2016", "2020", "2016-2020"),
            X("AGENT DE DÉVELOPPEMENT", "Office de tourisme du Pays des Abers", "2010", "2016", "2010-2016"),
            X("COMMERCIAL", "Crédit Côtier de l'Iroise", "1995", "2010", "1995-2010"),
        ],
        edu_heading="FORMATION",
        education=[E("BTS Action commerciale", "Lycée de l'Harteloire", "1994")],
        skills_heading="COMPÉTENCES", skills=["Accueil", "Gestion administrative", "Comptabilité"],
        languages_heading="LANGUES", languages=["Anglais", "Breton"],
        interests=["Voile"],
    ),
    dict(
        id="25-guivarch-pierre", fmt="md", layout="md-bullets-dot-gaps",
        shown_name="Pierre Guivarc'h", name="Pierre Guivarc'h", headline="Agent technique polyvalent",
        email="pierre.guivarch@exemple.org", phone="07 36 84 12 95", phone_e164="+33736841295",
        address=["2 rue de Kerhuel", "29280 Plouzané"], city="Plouzané",
        exp_heading="Expériences",
        gap2=[("2017–2018", "Congé parental"), ("2016", "Recherche d'emploi")],
        experiences=[
            X("Agent technique polyvalent", "Commune de Plouzané", "2019", "2022", "2019–2022"),
            X("Magasinier", "Brico Iroise", "2012", "2015", "2012–2015"),
            X("Manutentionnaire", "Port de commerce de Brest", "2010", "2012", "2010–2012"),
        ],
        edu_heading="Formation",
        education=[E("CAP Maintenance des bâtiments de collectivités", "Lycée Dupuy de Lôme", "2010")],
        skills_heading="Compétences", skills=["Petite maçonnerie", "Plomberie", "Peinture"],
        languages_heading="Langues", languages=["Anglais"],
        interests=["Bricolage"],
    ),
    dict(
        id="26-nedelec-julie", fmt="pdf", layout="pdf-sidebar-right-pipes",
        shown_name="Julie Nédélec", name="Julie Nédélec", headline="Assistante de prévention",
        email="julie.nedelec@example.fr", phone="06 57 93 02 46", phone_e164="+33657930246",
        address=["30 rue de Siam", "29200 Brest"], city="Brest",
        exp_heading="Expériences",
        experiences=[
            X("Assistante de prévention", "Service départemental d'incendie et de secours du Finistère", "2021",
              "2023", "2021 - 2023"),
            X("Chargée de sécurité", "Entreprise Navale Services", "2018", "2021", "2018 - 2021"),
            X("Opératrice logistique", "Plateforme Ouest Logistique", "2015", "2018", "2015 - 2018"),
        ],
        edu_heading="Formation",
        education=[E("Licence professionnelle Santé et sécurité au travail", "IUT de Brest", "2018")],
        skills_heading="Compétences", skills=["Document unique", "Analyse des accidents", "Formation SST"],
        languages_heading="Langues", languages=["Anglais", "Espagnol"],
        interests=["Natation"],
    ),
]


def make3_pdf(p, path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    W, H = A4
    c = canvas.Canvas(path, pagesize=A4)

    def txt(x, y, s, font="Helvetica", size=10):
        c.setFont(font, size)
        c.drawString(x, y, s)

    L, R = 50, W - 50
    if p["layout"] == "pdf-two-pages-dates-right-comma":
        def footer(n):
            c.setFont("Helvetica", 8)
            c.drawCentredString(W / 2, 30, f"{p['name']} – CV – page {n}/2")
        txt(L, H - 60, p["shown_name"], "Helvetica-Bold", 18)
        txt(L, H - 78, p["headline"], "Helvetica", 11)
        txt(L, H - 94, f"{', '.join(p['address'])} | {p['phone']} | {p['email']}", size=9)
        y = H - 130
        txt(L, y, p["exp_heading"], "Helvetica-Bold", 12); y -= 22
        for k, x in enumerate(p["experiences"]):
            if k == 3:
                footer(1); c.showPage(); y = H - 60
            txt(L, y, f"{x['title']}, {x['org']}", "Helvetica-Bold", 10)
            c.setFont("Helvetica", 10); c.drawRightString(R, y, x["dates"]); y -= 14
            for b in x["bullets"]:
                txt(L + 10, y, "• " + b, size=9.5); y -= 12.5
            y -= 60 if k < 2 else 12
        txt(L, y, p["edu_heading"], "Helvetica-Bold", 12); y -= 20
        for e in p["education"]:
            txt(L, y, f"{e['degree']}, {e['institution']}", size=10); c.drawRightString(R, y, e["end"]); y -= 24
        txt(L, y, p["skills_heading"], "Helvetica-Bold", 12); y -= 20
        txt(L, y, " – ".join(p["skills"]), size=10); y -= 24
        txt(L, y, p["languages_heading"], "Helvetica-Bold", 12); y -= 20
        txt(L, y, "Anglais : B1", size=10)
        footer(2)
    else:  # pdf-sidebar-right-pipes
        c.setFillColorRGB(0.93, 0.93, 0.93); c.rect(W - 190, 0, 190, H - 110, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        txt(L, H - 60, p["shown_name"], "Helvetica-Bold", 24)
        txt(L, H - 82, p["headline"], "Helvetica", 12)
        sx, y = W - 175, H - 140
        txt(sx, y, "Contact", "Helvetica-Bold", 11); y -= 16
        for line in p["address"] + [p["phone"], p["email"]]:
            txt(sx, y, line, size=8.5); y -= 12
        y -= 14
        txt(sx, y, p["skills_heading"], "Helvetica-Bold", 11); y -= 16
        for s_ in p["skills"]:
            txt(sx, y, s_, size=8.5); y -= 12
        y -= 14
        txt(sx, y, p["languages_heading"], "Helvetica-Bold", 11); y -= 16
        for s_ in ["Anglais (B2)", "Espagnol (A2)"]:
            txt(sx, y, s_, size=8.5); y -= 12
        y = H - 140
        txt(L, y, p["exp_heading"], "Helvetica-Bold", 13); y -= 20
        for x in p["experiences"]:
            txt(L, y, f"{x['dates']} | {x['title']}", "Helvetica-Bold", 9.5); y -= 12
            txt(L, y, x["org"], "Helvetica", 9); y -= 20
        y -= 6
        txt(L, y, p["edu_heading"], "Helvetica-Bold", 13); y -= 20
        for e in p["education"]:
            txt(L, y, f"{e['end']} | {e['degree']}", "Helvetica-Bold", 9.5); y -= 12
            txt(L, y, e["institution"], size=9); y -= 20
    c.showPage()
    c.save()


def make3_docx(p, path):
    from docx import Document

    d = Document()
    sec = d.sections[0]
    ft = sec.footer.paragraphs[0]
    ft.text = f"{p['address'][0]}, {p['address'][1]} – {p['phone']} – {p['email']}"
    d.add_paragraph(p["shown_name"], style="Title")
    d.add_paragraph(p["headline"])
    d.add_heading(p["exp_heading"], level=1)
    t = d.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, ["Dates", "Employeur", "Poste et missions"]):
        cell.paragraphs[0].add_run(h).bold = True
    for x in p["experiences"]:
        cells = t.add_row().cells
        cells[0].text = x["dates"]
        cells[1].text = x["org"]
        cells[2].paragraphs[0].add_run(x["title"]).bold = True
        for b in x["bullets"]:
            cells[2].add_paragraph(b, style="List Bullet")
    d.add_heading(p["edu_heading"], level=1)
    for e in p["education"]:
        d.add_paragraph(f"{e['degree']} – {e['institution']} – {e['end']}")
    d.add_heading(p["skills_heading"], level=1)
    d.add_paragraph(", ".join(p["skills"]))
    d.add_heading(p["languages_heading"], level=1)
    d.add_paragraph("Anglais : intermédiaire")
    d.save(path)


def make3_odt(p, path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    t = doc.text
    t.addElement(P(text=p["shown_name"]))
    t.addElement(P(text=p["headline"]))
    t.addElement(P(text=f"Adresse : {p['address'][0]}, {p['address'][1]}"))
    t.addElement(P(text=f"Tél. : {p['phone']}"))
    t.addElement(P(text=f"Courriel : {p['email']}"))
    t.addElement(H(outlinelevel=1, text=p["exp_heading"]))
    for x in p["experiences"]:
        t.addElement(P(text=f"Poste : {x['title']}"))
        t.addElement(P(text=f"Employeur : {x['org']}"))
        t.addElement(P(text=f"Période : {x['dates']}"))
        t.addElement(P(text=""))
    t.addElement(H(outlinelevel=1, text=p["edu_heading"]))
    for e in p["education"]:
        t.addElement(P(text=f"{e['end']} – {e['degree']}, {e['institution']}"))
    t.addElement(H(outlinelevel=1, text=p["skills_heading"]))
    t.addElement(P(text=", ".join(p["skills"])))
    t.addElement(H(outlinelevel=1, text=p["languages_heading"]))
    t.addElement(P(text="Anglais : notions"))
    doc.save(path)


def text3_lines(p):
    out = []
    if p["layout"] == "txt-caps-title-a-la":
        out += [f"{p['shown_name']} — {p['headline']}", f"{p['address'][0]}, {p['address'][1]}",
                f"{p['phone']} / {p['email']}", "", p["exp_heading"], ""]
        for x in p["experiences"]:
            prep = "au" if x["org"].startswith("Crédit") else ("à la" if x["org"].startswith("Mairie") else "à l'")
            org = x["org"]
            if prep == "à l'":
                out += [f"{x['title']} à l'{org} ({x['dates']})"]
            else:
                out += [f"{x['title']} {prep} {org} ({x['dates']})"]
        out += ["", p["edu_heading"], ""]
        for e in p["education"]:
            out += [f"{e['degree']}, {e['institution']} ({e['end']})"]
        out += ["", p["skills_heading"], "", ", ".join(p["skills"]), "",
                p["languages_heading"], "", "Anglais (notions), breton (courant)"]
    else:  # md-bullets-dot-gaps
        out += [f"# {p['shown_name']}", "", p["headline"], "",
                f"{p['address'][0]}, {p['address'][1]}  ", f"{p['phone']}  ", p["email"], ""]
        out += [f"## {p['exp_heading']}", ""]
        x0 = p["experiences"][0]
        out += [f"- {x0['dates']} · **{x0['title']}**, {x0['org']}"]
        for dates, what in p["gap2"]:
            out += [f"- {dates} · {what}"]
        for x in p["experiences"][1:]:
            out += [f"- {x['dates']} · **{x['title']}**, {x['org']}"]
        out += ["", f"## {p['edu_heading']}", ""]
        for e in p["education"]:
            out += [f"- {e['end']} · {e['degree']}, {e['institution']}"]
        out += ["", f"## {p['skills_heading']}", ""] + ["- " + s_ for s_ in p["skills"]]
        out += ["", f"## {p['languages_heading']}", "", "Anglais : scolaire"]
    return out


def make3_text(p, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(text3_lines(p)) + "\n")


# ---------------------------------------------------------------- round 4
# Eight more people, written after round 3's fixes, before the parser read them
# (truth-round4.jsonl): a Europass-like label column, small-caps headings with dates in the left
# margin, Word heading styles with dates in a right tab, dated training periods mixed with jobs,
# a whole-page two-column ODT table, "date : employer" lines, ALL CAPS employers with
# "Du 01/09/2019 au 30/06/2021", bold titles with italic employers; "(H/F)" after a title,
# acronyms (CCAS, SDIS, EHPAD), interim and replacement contracts, "Depuis 2022",
# "2019 - 2021 (2 ans)".
ROUND4 = [
    dict(
        id="27-le-floch-morgan", fmt="pdf", layout="pdf-europass-label-column",
        shown_name="Morgan Le Floch", name="Morgan Le Floch", headline="Informations personnelles",
        email="morgan.lefloch@example.org", phone="06 84 20 17 55", phone_e164="+33684201755",
        address=["9 rue Émile Zola", "29600 Morlaix"], city="Morlaix",
        exp_heading="Expérience professionnelle",
        experiences=[
            X("Technicien informatique", "Communauté d'agglomération Morlaix Communauté", "2020-04", "present",
              "Avril 2020 - à ce jour", place="Morlaix",
              bullets=["Support aux utilisateurs de 25 communes", "Déploiement de postes de travail"]),
            X("Technicien de proximité", "Groupe Arvor Informatique", "2016-09", "2020-03",
              "Septembre 2016 - mars 2020", place="Brest",
              bullets=["Maintenance du parc de clients professionnels"]),
        ],
        edu_heading="Éducation et formation",
        education=[E("BTS Services informatiques aux organisations", "Lycée Tristan Corbière", "2016", start="2014")],
        skills_heading="Compétences numériques",
        skills=["Active Directory", "GLPI", "Réseaux TCP/IP"],
        languages_heading="Langue(s) étrangère(s)", languages=["Anglais"],
        interests=[],
    ),
    dict(
        id="28-kervella-ronan", fmt="pdf", layout="pdf-small-caps-dates-margin",
        shown_name="Ronan Kervella", name="Ronan Kervella", headline="Agent de maîtrise – espaces verts",
        email="ronan.kervella@exemple.fr", phone="07 45 19 62 08", phone_e164="+33745196208",
        address=["Lieu-dit Kerbrat", "29860 Plabennec"], city="Plabennec",
        exp_heading="Expérience",
        experiences=[
            X("Chef d'équipe espaces verts", "Ville de Landerneau", "2022", "present", "Depuis 2022",
              bullets=["Encadrement de six agents", "Plan de gestion différenciée"]),
            X("Jardinier", "SIVU des Abers", "2019", "2021", "2019 - 2021 (2 ans)",
              bullets=["Tonte, taille, fleurissement"]),
            X("Ouvrier paysagiste", "Paysages du Léon", "2014", "2019", "2014 - 2019 (5 ans)"),
        ],
        edu_heading="Formation",
        education=[E("BP Aménagements paysagers", "CFA de Kerliver", "2014")],
        skills_heading="Compétences", skills=["Gestion différenciée", "CACES R482", "Taille douce"],
        languages_heading="Langues", languages=["Breton"],
        interests=[],
    ),
    dict(
        id="29-henaff-solene", fmt="docx", layout="docx-heading-styles-right-tab-hf",
        shown_name="Solène Hénaff", name="Solène Hénaff", headline="Animatrice enfance jeunesse",
        email="solene.henaff@example.fr", phone="06 03 58 71 26", phone_e164="+33603587126",
        address=["4 rue des Écoles", "29470 Plougastel-Daoulas"], city="Plougastel-Daoulas",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Directrice adjointe d'accueil de loisirs", "Ville de Plougastel-Daoulas", "2021-09", "present",
              "sept. 2021 – aujourd'hui", shown_title="Directrice adjointe d'accueil de loisirs",
              bullets=["Projet pédagogique", "Encadrement de douze animateurs"]),
            X("Animateur périscolaire", "Ligue de l'enseignement du Finistère", "2018-09", "2021-07",
              "sept. 2018 – juil. 2021", shown_title="Animateur périscolaire (H/F)",
              bullets=["Temps d'activités périscolaires"]),
            X("Agente d'animation", "CCAS de Brest", "2017-01", "2018-06", "janv. 2017 – juin 2018",
              note="CDD de remplacement", shown_title="Agente d'animation"),
        ],
        edu_heading="Formation",
        education=[E("BPJEPS Loisirs tous publics", "CREPS de Bretagne", "2018"),
                   E("BAFD", "UFCV", "2020")],
        skills_heading="Compétences", skills=["Projet pédagogique", "Réglementation des accueils collectifs de mineurs"],
        languages_heading="Langues", languages=["Anglais"],
        interests=[],
    ),
    dict(
        id="30-cloarec-yvonne", fmt="docx", layout="docx-chronological-training-interim",
        shown_name="Yvonne CLOAREC", name="Yvonne Cloarec", headline="Agente de service hospitalier",
        email="yvonne.cloarec@exemple.org", phone="06 29 44 80 13", phone_e164="+33629448013",
        address=["12 rue de Kerfeunteun", "29000 Quimper"], city="Quimper",
        exp_heading="Parcours",
        experiences=[
            X("Préparatrice de commandes", "Entrepôts Le Floch", "2012-03", "2014-08", "Mars 2012 – août 2014",
              note="intérim"),
            X("Agente d'entretien", "EHPAD Ker Héol", "2016-02", "2016-09", "Février – septembre 2016",
              note="CDD de remplacement"),
            X("Agente de service hospitalier", "Centre hospitalier de Cornouaille", "2016-10", "present",
              "Depuis octobre 2016"),
        ],
        trainings=[("Sept. 2014 – juin 2015", "Formation : Titre professionnel Agent de propreté et d'hygiène, AFPA de Quimper"),
                   ("2015 – 2016", "Formation : CAP Assistant technique en milieux familial et collectif, GRETA Ouest Cornouaille")],
        edu_heading="Diplômes",
        education=[E("CAP Assistant technique en milieux familial et collectif", "GRETA Ouest Cornouaille", "2016")],
        skills_heading="Compétences", skills=["Bionettoyage", "Protocoles d'hygiène", "Service des repas"],
        languages_heading="Langues", languages=["Anglais"],
        interests=[],
    ),
    dict(
        id="31-gourvil-loic", fmt="odt", layout="odt-two-column-page-table",
        shown_name="Loïc Gourvil", name="Loïc Gourvil", headline="Sapeur-pompier professionnel",
        email="loic.gourvil@example.org", phone="06 92 15 37 40", phone_e164="+33692153740",
        address=["3 place de la Liberté", "29200 Brest"], city="Brest",
        exp_heading="Expériences",
        experiences=[
            X("Sergent", "SDIS 29", "2022", "present", "Depuis 2022", place="Brest"),
            X("Caporal-chef", "SDIS 56", "2015", "2022", "2015 - 2022 (7 ans)", place="Vannes"),
            X("Agent de sécurité incendie", "Sécuritas Ouest", "2012", "2015", "2012 - 2015 (3 ans)", place="Lorient"),
        ],
        edu_heading="Formation",
        education=[E("Formation initiale de sapeur-pompier professionnel", "ENSOSP", "2015")],
        skills_heading="Compétences", skills=["Secours à personne", "Incendie", "Permis C"],
        languages_heading="Langues", languages=["Anglais"],
        interests=[],
    ),
    dict(
        id="32-derrien-mathilde", fmt="odt", layout="odt-date-colon-employer",
        shown_name="Mathilde Derrien", name="Mathilde Derrien", headline="Gestionnaire carrière et paie",
        email="mathilde.derrien@exemple.fr", phone="07 12 66 34 91", phone_e164="+33712663491",
        address=["18 rue Jean Moulin", "22000 Saint-Brieuc"], city="Saint-Brieuc",
        exp_heading="Expériences professionnelles",
        experiences=[
            X("Gestionnaire carrière et paie", "Centre de gestion des Côtes-d'Armor", "2019-03", "present",
              "Mars 2019 – aujourd'hui", bullets=["Paie de 40 collectivités affiliées", "Avancements et promotions"]),
            X("Adjointe administrative", "CCAS de Saint-Brieuc", "2016-01", "2019-02", "Janvier 2016 – février 2019",
              bullets=["Dossiers d'aide sociale légale"]),
            X("Secrétaire", "Mairie de Plérin", "2014-06", "2015-12", "Juin 2014 – décembre 2015",
              note="CDD de remplacement"),
        ],
        edu_heading="Formation",
        education=[E("Licence professionnelle Gestion de la paie", "Université Rennes 2", "2014")],
        skills_heading="Compétences", skills=["Statut de la fonction publique territoriale", "Logiciel Ciril"],
        languages_heading="Langues", languages=["Espagnol"],
        interests=[],
    ),
    dict(
        id="33-le-meur-gaelle", fmt="txt", layout="txt-du-au-caps-employer",
        shown_name="LE MEUR Gaëlle", name="Gaëlle Le Meur", headline="Aide-soignante",
        email="gaelle.lemeur@example.fr", phone="06 70 81 92 03", phone_e164="+33670819203",
        address=["7 rue du Port", "29900 Concarneau"], city="Concarneau",
        exp_heading="EXPÉRIENCES",
        experiences=[
            X("Aide-soignante de nuit", "EHPAD Ker Héol", "2021-07", "present", "Depuis le 01/07/2021",
              place="Concarneau", bullets=["Soins d'hygiène et de confort", "Surveillance des résidents"]),
            X("Aide-soignante", "Centre hospitalier de Cornouaille", "2019-09", "2021-06",
              "Du 01/09/2019 au 30/06/2021", place="Quimper"),
            X("Agente de service", "Clinique Saint-Michel", "2017-03", "2019-08", "Du 15/03/2017 au 31/08/2019",
              place="Quimper", note="intérim"),
        ],
        edu_heading="FORMATION",
        education=[E("Diplôme d'État d'aide-soignant", "IFAS de Quimper", "2019")],
        skills_heading="COMPÉTENCES", skills=["Soins d'hygiène", "Transmissions ciblées", "Manutention des patients"],
        languages_heading="LANGUES", languages=["Anglais"],
        interests=[],
    ),
    dict(
        id="34-pennec-baptiste", fmt="md", layout="md-bold-title-italic-employer",
        shown_name="Baptiste Pennec", name="Baptiste Pennec", headline="Chargé de communication",
        email="baptiste.pennec@exemple.org", phone="06 56 23 48 17", phone_e164="+33656234817",
        address=["25 quai de la Douane", "29200 Brest"], city="Brest",
        exp_heading="Expérience professionnelle",
        experiences=[
            X("Chargé de communication", "Brest métropole", "2021", "present", "Depuis 2021", place="Brest",
              bullets=["Magazine métropolitain", "Réseaux sociaux"]),
            X("Rédacteur web", "Agence Ouest Médias", "2018", "2021", "2018 - 2021 (3 ans)", place="Rennes",
              bullets=["Contenus pour des collectivités"]),
            X("Assistant de communication", "Office de tourisme de Crozon", "2016", "2018", "2016 - 2018",
              place="Crozon", note="alternance"),
        ],
        edu_heading="Formation",
        education=[E("Master Information et communication", "Université Rennes 2", "2018")],
        skills_heading="Compétences", skills=["PAO", "Rédaction web", "Relations presse"],
        languages_heading="Langues", languages=["Anglais", "Espagnol"],
        interests=[],
    ),
]


def _title(x):
    return x.get("shown_title") or x["title"]


def make4_pdf(p, path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    W, H = A4
    c = canvas.Canvas(path, pagesize=A4)

    def txt(x, y, s, font="Helvetica", size=10):
        c.setFont(font, size)
        c.drawString(x, y, s)

    def rtxt(x, y, s, font="Helvetica", size=9):
        c.setFont(font, size)
        c.drawRightString(x, y, s)

    if p["layout"] == "pdf-europass-label-column":
        LX, VX = 190, 205  # labels right-aligned at LX, values from VX
        c.setFont("Helvetica-Bold", 14); c.drawString(50, H - 50, "Curriculum vitæ")
        y = H - 90
        rtxt(LX, y, p["headline"], "Helvetica-Bold", 11); y -= 20
        for lab, val in [("Nom(s) / Prénom(s)", p["shown_name"]), ("Adresse(s)", ", ".join(p["address"])),
                         ("Téléphone(s)", p["phone"]), ("Courrier électronique", p["email"]),
                         ("Nationalité", "Française")]:
            rtxt(LX, y, lab); txt(VX, y, val, size=10); y -= 15
        y -= 15
        rtxt(LX, y, p["exp_heading"], "Helvetica-Bold", 11); y -= 20
        for x in p["experiences"]:
            rows = [("Dates", x["dates"]), ("Fonction ou poste occupé", x["title"]),
                    ("Principales activités et responsabilités", "; ".join(x["bullets"])),
                    ("Nom et adresse de l'employeur", f"{x['org']}, {x['place']}")]
            for lab, val in rows:
                rtxt(LX, y, lab); txt(VX, y, val, size=10); y -= 15
            y -= 12
        rtxt(LX, y, p["edu_heading"], "Helvetica-Bold", 11); y -= 20
        for e in p["education"]:
            for lab, val in [("Dates", f"{e['start']} - {e['end']}"), ("Intitulé du certificat ou diplôme délivré", e["degree"]),
                             ("Nom et type de l'établissement", e["institution"])]:
                rtxt(LX, y, lab); txt(VX, y, val, size=10); y -= 15
            y -= 12
        rtxt(LX, y, "Aptitudes et compétences personnelles", "Helvetica-Bold", 11); y -= 20
        rtxt(LX, y, "Langue(s) maternelle(s)"); txt(VX, y, "Français", size=10); y -= 15
        rtxt(LX, y, p["languages_heading"]); txt(VX, y, "Anglais : B1", size=10); y -= 15
        rtxt(LX, y, p["skills_heading"]); txt(VX, y, ", ".join(p["skills"]), size=10); y -= 15
    else:  # pdf-small-caps-dates-margin
        def small_caps(x, y, s, size=12):
            # first letter of each word full size, the rest as smaller capitals
            for word in s.split(" "):
                c.setFont("Helvetica-Bold", size); c.drawString(x, y, word[0].upper())
                x += c.stringWidth(word[0].upper(), "Helvetica-Bold", size)
                rest = word[1:].upper()
                c.setFont("Helvetica-Bold", size * 0.78); c.drawString(x, y, rest)
                x += c.stringWidth(rest, "Helvetica-Bold", size * 0.78) + size * 0.3
        ML, BX = 50, 160
        small_caps(BX, H - 60, p["name"], 20)
        txt(BX, H - 80, p["headline"], size=11)
        txt(BX, H - 96, f"{p['address'][0]} – {p['address'][1]}", size=9)
        txt(BX, H - 108, f"{p['phone']} – {p['email']}", size=9)
        y = H - 145
        small_caps(BX, y, p["exp_heading"]); y -= 22
        for x in p["experiences"]:
            txt(ML, y, x["dates"], "Helvetica-Oblique", 8.5)
            txt(BX, y, x["title"], "Helvetica-Bold", 10); y -= 13
            txt(BX, y, x["org"], size=10); y -= 13
            for b in x["bullets"]:
                txt(BX + 8, y, "– " + b, size=9); y -= 12
            y -= 10
        small_caps(BX, y, p["edu_heading"]); y -= 22
        for e in p["education"]:
            txt(ML, y, e["end"], "Helvetica-Oblique", 8.5)
            txt(BX, y, e["degree"], "Helvetica-Bold", 10); y -= 13
            txt(BX, y, e["institution"], size=10); y -= 22
        small_caps(BX, y, p["skills_heading"]); y -= 22
        txt(BX, y, " · ".join(p["skills"]), size=10); y -= 24
        small_caps(BX, y, p["languages_heading"]); y -= 22
        txt(BX, y, "Breton : courant", size=10)
    c.showPage()
    c.save()


def make4_docx(p, path):
    from docx import Document
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm

    d = Document()
    d.add_heading(p["shown_name"], level=0)
    d.add_paragraph(p["headline"])
    d.add_paragraph(f"{p['address'][0]}, {p['address'][1]}")
    d.add_paragraph(f"{p['phone']} – {p['email']}")
    d.add_heading(p["exp_heading"], level=1)
    if p["layout"] == "docx-heading-styles-right-tab-hf":
        for x in p["experiences"]:
            h = d.add_heading(level=2)
            h.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
            h.add_run(_title(x))
            h.add_run("\t" + x["dates"])
            org = x["org"] + (f" – {x['note']}" if x["note"] else "")
            d.add_paragraph(org).runs[0].italic = True
            for b in x["bullets"]:
                d.add_paragraph(b, style="List Bullet")
    else:  # docx-chronological-training-interim: oldest first, training periods between jobs
        x1, x2, x3 = p["experiences"]
        t1, t2 = p["trainings"]
        items = [(x1["dates"], f"{x1['title']} – {x1['org']} (intérim)"), t1, t2,
                 (x2["dates"], f"{x2['title']} – {x2['org']} (CDD de remplacement)"),
                 (x3["dates"], f"{x3['title']} – {x3['org']}")]
        for dates, what in items:
            para = d.add_paragraph()
            para.paragraph_format.tab_stops.add_tab_stop(Cm(5))
            para.add_run(dates).bold = True
            para.add_run("\t" + what)
    d.add_heading(p["edu_heading"], level=1)
    for e in p["education"]:
        d.add_paragraph(f"{e['end']}\t{e['degree']} – {e['institution']}")
    d.add_heading(p["skills_heading"], level=1)
    for s_ in p["skills"]:
        d.add_paragraph(s_, style="List Bullet")
    d.add_heading(p["languages_heading"], level=1)
    d.add_paragraph(f"{p['languages'][0]} : niveau scolaire")
    d.save(path)


def make4_odt(p, path):
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, Span

    doc = OpenDocumentText()
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    t = doc.text

    def bp(s):
        para = P()
        para.addElement(Span(stylename=bold, text=s))
        return para

    if p["layout"] == "odt-two-column-page-table":
        tab = Table(name="Page")
        tab.addElement(TableColumn(numbercolumnsrepeated=2))
        row = TableRow()
        left, right = TableCell(), TableCell()
        left.addElement(bp(p["shown_name"]))
        left.addElement(P(text=p["headline"]))
        for line in p["address"] + [p["phone"], p["email"]]:
            left.addElement(P(text=line))
        left.addElement(P(text=""))
        left.addElement(bp(p["skills_heading"]))
        for s_ in p["skills"]:
            left.addElement(P(text=s_))
        left.addElement(P(text=""))
        left.addElement(bp(p["languages_heading"]))
        left.addElement(P(text="Anglais : intermédiaire"))
        right.addElement(bp(p["exp_heading"].upper()))
        for x in p["experiences"]:
            right.addElement(P(text=x["dates"]))
            right.addElement(bp(x["title"]))
            right.addElement(P(text=f"{x['org']} – {x['place']}"))
            right.addElement(P(text=""))
        right.addElement(bp(p["edu_heading"].upper()))
        for e in p["education"]:
            right.addElement(P(text=f"{e['end']} – {e['degree']}, {e['institution']}"))
        row.addElement(left); row.addElement(right)
        tab.addElement(row)
        t.addElement(tab)
    else:  # odt-date-colon-employer
        t.addElement(H(outlinelevel=1, text=p["shown_name"]))
        t.addElement(P(text=p["headline"]))
        t.addElement(P(text=f"{p['address'][0]} – {p['address'][1]} – {p['phone']} – {p['email']}"))
        t.addElement(H(outlinelevel=2, text=p["exp_heading"]))
        for x in p["experiences"]:
            t.addElement(bp(f"{x['dates']} : {x['org']}"))
            title = x["title"] + (f" ({x['note']})" if x["note"] else "")
            t.addElement(P(text=title))
            for b in x["bullets"]:
                t.addElement(P(text="- " + b))
        t.addElement(H(outlinelevel=2, text=p["edu_heading"]))
        for e in p["education"]:
            t.addElement(P(text=f"{e['end']} : {e['degree']}, {e['institution']}"))
        t.addElement(H(outlinelevel=2, text=p["skills_heading"]))
        t.addElement(P(text=" ; ".join(p["skills"])))
        t.addElement(H(outlinelevel=2, text=p["languages_heading"]))
        t.addElement(P(text="Espagnol : B2"))
    doc.save(path)


def text4_lines(p):
    out = []
    if p["layout"] == "txt-du-au-caps-employer":
        out += [p["shown_name"], p["headline"], p["address"][0], p["address"][1], f"Tél : {p['phone']}",
                f"Mail : {p['email']}", "", p["exp_heading"], ""]
        for x in p["experiences"]:
            out += [x["dates"], f"{x['org'].upper()} - {x['place'].upper()}",
                    x["title"] + (f" (mission d'{x['note']})" if x["note"] else "")]
            out += ["  * " + b for b in x["bullets"]]
            out += [""]
        out += [p["edu_heading"], ""]
        for e in p["education"]:
            out += [f"{e['end']} : {e['degree']} - {e['institution'].upper()}"]
        out += ["", p["skills_heading"], ""] + ["  * " + s_ for s_ in p["skills"]]
        out += ["", p["languages_heading"], "", "Anglais : notions"]
    else:  # md-bold-title-italic-employer
        out += [f"# {p['shown_name']}", "", f"**{p['headline']}**", "",
                f"{p['address'][0]}, {p['address'][1]} · {p['phone']} · {p['email']}", ""]
        out += [f"## {p['exp_heading']}", ""]
        for x in p["experiences"]:
            org = f"*{x['org']}*, {x['place']}" + (f" ({x['note']})" if x["note"] else "")
            out += [f"**{x['title']}** — {org}  ", x["dates"], ""]
            out += ["- " + b for b in x["bullets"]]
            if x["bullets"]:
                out += [""]
        out += [f"## {p['edu_heading']}", ""]
        for e in p["education"]:
            out += [f"**{e['degree']}** — *{e['institution']}*, {e['end']}", ""]
        out += [f"## {p['skills_heading']}", "", ", ".join(p["skills"]), ""]
        out += [f"## {p['languages_heading']}", "", "Anglais (C1), espagnol (B1)"]
    return out


def make4_text(p, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(text4_lines(p)) + "\n")



def main(rounds=(1, 2, 3, 4)):
    """Writes the given rounds (all by default; `make.py 4` writes round 4 only)."""
    def write(truth_name, people, makers):
        with open(os.path.join(HERE, truth_name), "w", encoding="utf-8") as f:
            for p in people:
                makers[p["fmt"]](p, os.path.join(HERE, f"{p['id']}.{p['fmt']}"))
                f.write(json.dumps(truth_line(p), ensure_ascii=False) + "\n")

    if 1 in rounds:
        write("truth.jsonl", PEOPLE, dict(pdf=make_pdf, docx=make_docx, odt=make_odt, txt=make_text, md=make_text))
    if 2 in rounds:
        write("truth-round2.jsonl", ROUND2,
              dict(pdf=make2_pdf, docx=make2_docx, odt=make2_odt, txt=make2_text, md=make2_text))
    if 3 in rounds:
        write("truth-round3.jsonl", ROUND3,
              dict(pdf=make3_pdf, docx=make3_docx, odt=make3_odt, txt=make3_text, md=make3_text))
    if 4 in rounds:
        write("truth-round4.jsonl", ROUND4,
              dict(pdf=make4_pdf, docx=make4_docx, odt=make4_odt, txt=make4_text, md=make4_text))
    print(f"wrote rounds {sorted(rounds)} in {HERE}")


if __name__ == "__main__":
    import sys
    main(tuple(int(a) for a in sys.argv[1:]) or (1, 2, 3, 4))
