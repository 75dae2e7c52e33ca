//! The reference cohort: ordinary CV passages from many trades, against which each requirement's
//! similarity is normalised ("cohort normalisation", as score normalisation is done in speaker
//! verification).
//!
//! Why: a sentence-embedding model gives some requirements a high cosine with almost any text
//! (short, generic wording) and others a low one (long, specific wording), so one absolute
//! threshold is too strict for the latter and too lenient for the former. Measured against
//! the same cohort of unrelated passages, every requirement is judged by how far a candidate's
//! passage stands out from what an ordinary CV says: `(cosine − cohort mean) / cohort spread`.
//!
//! The cohort is fixed and part of the plugin (so scores do not depend on the other applicants),
//! covers public and private trades at every level, in French with a few English lines like the
//! CVs received, and names nothing specific to a posting of the development set. Its vectors
//! are computed by the host like any text and cached there, so they cost nothing after the
//! first call.

/// Passages written the way CVs describe experience, one trade each.
pub const COHORT: &[&str] = &[
    "Vendeuse en boutique de prêt-à-porter : accueil des clients, encaissement, mise en rayon",
    "Employé polyvalent de restauration rapide : préparation des commandes et nettoyage",
    "Cuisinier en restaurant traditionnel : élaboration des plats, gestion des stocks",
    "Préparateur de commandes en entrepôt logistique, conduite de chariot élévateur",
    "Chauffeur poids lourd : livraisons régionales, chargement et déchargement",
    "Maçon sur chantiers de maisons individuelles : fondations, élévation des murs",
    "Électricien du bâtiment : installation de tableaux électriques et mise aux normes",
    "Plombier chauffagiste : dépannage et installation de chaudières",
    "Opérateur de production sur ligne d'assemblage automobile",
    "Technicien de maintenance industrielle : diagnostic des pannes mécaniques",
    "Développeur web : conception d'applications en JavaScript et bases de données",
    "Administrateur systèmes et réseaux : gestion des serveurs et de la sécurité informatique",
    "Technicien support informatique : assistance aux utilisateurs et installation des postes",
    "Aide-soignante en EHPAD : soins d'hygiène et de confort des résidents",
    "Pharmacien d'officine : délivrance des ordonnances et conseil aux patients",
    "Kinésithérapeute en cabinet libéral : rééducation fonctionnelle",
    "Professeur des écoles : enseignement en classe de CE2",
    "Animateur périscolaire : organisation d'activités pour les enfants",
    "Formateur pour adultes en bureautique",
    "Assistante de direction : gestion des agendas, organisation des réunions, courrier",
    "Agent d'accueil : standard téléphonique et orientation du public",
    "Secrétaire médicale : prise de rendez-vous et gestion des dossiers patients",
    "Comptable en entreprise : saisie des écritures, rapprochements bancaires, TVA",
    "Conseiller bancaire : suivi d'un portefeuille de clients particuliers",
    "Chargé de communication : rédaction de contenus et animation des réseaux sociaux",
    "Journaliste en presse régionale : reportages et rédaction d'articles",
    "Commercial terrain : prospection de nouveaux clients et négociation des contrats",
    "Chef de rayon en grande surface : management d'une équipe de cinq personnes",
    "Responsable marketing : études de marché et lancement de produits",
    "Agent de sécurité : surveillance des locaux et rondes de prévention",
    "Agent d'entretien : nettoyage des bureaux et des parties communes",
    "Jardinier paysagiste : taille, tonte et création de massifs",
    "Agriculteur : culture céréalière et élevage bovin",
    "Ouvrier viticole : vendanges et travaux de la vigne",
    "Bibliothécaire : accueil des lecteurs, catalogage et animation culturelle",
    "Éducateur sportif : encadrement de séances de natation",
    "Musicien intervenant en école de musique",
    "Réceptionniste d'hôtel : réservations, accueil des clients étrangers",
    "Agent de voyage : conseil et vente de séjours",
    "Assistante maternelle agréée : garde d'enfants à domicile",
    "Serveur en brasserie : service en salle et prise de commandes",
    "Coiffeuse en salon : coupe, couleur et conseil",
    "Ingénieur en mécanique : conception de pièces et calculs de structure",
    "Chercheur en biologie : expérimentations en laboratoire et publications",
    "Store manager: staff scheduling, sales targets and customer service",
    "Software engineer: backend services in Java and code reviews",
    "Warehouse operative: picking, packing and stock counts",
    "Care assistant in a residential home: personal care and meal support",
];

/// Requirements as postings word them, one trade each: the cohort a passage is measured
/// against, so that a passage close to everything (short, generic: "gestionnaire
/// administratif") does not pass for proof of any requirement in particular.
pub const REQUIREMENT_COHORT: &[&str] = &[
    "Accueil et conseil de la clientèle en magasin",
    "Encaissement et tenue de caisse",
    "Préparation des repas en cuisine collective",
    "Conduite de chariots élévateurs en entrepôt",
    "Conduite de véhicules de livraison",
    "Travaux de maçonnerie et de gros œuvre",
    "Installation et dépannage électrique",
    "Entretien des installations de chauffage et de plomberie",
    "Réglage de machines de production",
    "Maintenance mécanique des équipements industriels",
    "Développement d'applications web",
    "Administration de serveurs et de réseaux informatiques",
    "Assistance aux utilisateurs de postes informatiques",
    "Soins d'hygiène et de confort aux personnes âgées",
    "Délivrance de médicaments et conseil pharmaceutique",
    "Rééducation des patients",
    "Enseignement à des élèves du primaire",
    "Animation d'activités de loisirs pour enfants",
    "Formation d'adultes",
    "Gestion d'agenda et organisation de réunions",
    "Accueil téléphonique et physique du public",
    "Tenue des dossiers médicaux",
    "Tenue de la comptabilité générale d'une entreprise",
    "Conseil financier à une clientèle de particuliers",
    "Rédaction de supports de communication",
    "Rédaction d'articles de presse",
    "Prospection commerciale et négociation",
    "Encadrement d'une équipe de vente",
    "Élaboration d'un plan marketing",
    "Surveillance et sécurité des bâtiments",
    "Nettoyage et entretien des locaux",
    "Entretien des espaces verts",
    "Conduite d'une exploitation agricole",
    "Travaux viticoles",
    "Gestion d'un fonds documentaire",
    "Encadrement d'activités sportives",
    "Enseignement de la musique",
    "Gestion des réservations hôtelières",
    "Vente de voyages et de séjours",
    "Garde de jeunes enfants",
    "Service en salle de restaurant",
    "Coiffure et soins esthétiques",
    "Conception mécanique assistée par ordinateur",
    "Expérimentation en laboratoire de recherche",
    "Retail sales and customer service",
    "Software development in Java",
    "Stock management in a warehouse",
    "Personal care for elderly residents",
];
