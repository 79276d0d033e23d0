# French templates for generate-sample.py: made-up support tickets, written for Wordloom.

from templates_en import PRODUCTS

NAMES = ["Camille", "Julien", "Léa", "Mathieu", "Inès", "Hugo"]
CITIES = ["Lyon", "Nantes", "Lille", "Bordeaux", "Genève", "Montréal", "Liège"]
COMPANIES = ["ColiRapide", "ExpressPli"]
CARRIERS = COMPANIES + ["Le livreur", "Le transporteur"]


def amount(rng):
    return "%d,%02d €" % (rng.randint(4, 240), rng.choice([0, 0, 50, 90, 99]))


LANG = {
    "code": "fr",
    "latin": True,
    "sentence_sep": " ",
    "connectors": ["Par ailleurs, ", "Autre chose : ", "Et aussi, ", "Au passage, "],
    "keep_case": PRODUCTS + NAMES + CITIES + COMPANIES,
    "slots": {
        "product": PRODUCTS,
        "name": NAMES,
        "city": CITIES,
        "carrier": CARRIERS,
        "company": COMPANIES,
        "amount": amount,
        "plan": ["Essentiel", "Plus", "Famille", "\"Pro\""],
        "date": ["hier", "lundi", "le 3 mars", "il y a deux semaines", "le mois dernier",
                 "vendredi"],
        "device": ["mon iPhone", "un téléphone Android", "mon PC portable", "mon Mac"],
        "feature": ["la synchronisation", "l'export", "les notifications", "le mode sombre",
                    "les sauvegardes"],
        "coupon": ["PRINTEMPS20", "BIENVENUE10", "LIVRAISONOFFERTE"],
    },
    "openers": ["Bonjour,", "Bonsoir,", "Madame, Monsieur,", "Bonjour à l'équipe,", "Salut,"],
    "fillers": [
        "C'est vraiment agaçant.", "Je suis client depuis {years} ans.", "Merci de faire vite.",
        "Je vous ai déjà écrit {date} sans réponse.", "Mon numéro de commande est {order}.",
        "Merci d'avance.", "C'est la deuxième fois que ça arrive.",
        "Je peux envoyer des captures d'écran si besoin.",
    ],
    "closers": ["Merci,", "Cordialement,", "Bien à vous", "Merci beaucoup.", "Dans l'attente de votre réponse."],
    "signatures": ["{name}", "{name}, {city}", "Envoyé de mon téléphone"],
    "generic_titles": ["Aide", "Question", "Urgent", "Bonjour", "Problème avec ma commande",
                       "Commande {order}", "À propos de mon {product}", "Sans objet"],
    # (correct, slip)
    "typos": [("s'il vous plaît", "svp"), ("é", "e"), ("très", "tres"), ("ça", "ca"),
              ("déjà", "deja"), ("reçu", "recu")],
    "classes": {
        "billing": {
            "titles": ["Double prélèvement", "Demande de remboursement", "Facture erronée",
                       "Débité après résiliation", "Prélèvement inconnu de {amount}",
                       "Code promo non appliqué", "Problème de paiement"],
            "core": [
                "J'ai été débité deux fois pour la commande {order}.",
                "J'ai résilié mon abonnement {plan} {date} mais vous avez encore prélevé {amount}.",
                "Puis-je être remboursé pour la commande {order} ? Cela fait {days} jours.",
                "Le numéro de TVA sur la facture est faux, merci de la corriger.",
                "Le code {coupon} a été accepté, puis j'ai payé le prix plein.",
                "Le remboursement promis {date} n'apparaît toujours pas sur mon relevé.",
                "Ma banque me signale un prélèvement de {amount} que je ne reconnais pas.",
                "Comment changer la carte bancaire enregistrée ?",
                "Il y a des \"frais de service\" de {amount}, c'est quoi ?",
                "Je voudrais passer à la facturation annuelle.",
            ],
            "ambiguous": ["J'ai payé la livraison express et il a fallu {days} jours, remboursez ces frais."],
        },
        "shipping": {
            "titles": ["Où est ma commande ?", "Colis non livré", "Colis abîmé", "Mauvais article reçu",
                       "Changer l'adresse de livraison", "Suivi bloqué", "Commande {order} en retard"],
            "core": [
                "Ma commande {order} n'est toujours pas arrivée après {days} jours.",
                "Le suivi indique \"en cours d'acheminement\" depuis {date}.",
                "Le carton est arrivé écrasé et le {product} est cabossé.",
                "{carrier} a déposé le colis à une autre adresse à {city}.",
                "Puis-je changer l'adresse de livraison ? Je déménage à {city}.",
                "J'ai reçu la commande de quelqu'un d'autre au lieu de mon {product}.",
                "Il n'y avait qu'un seul des deux articles dans le carton.",
                "Le colis est marqué livré mais il n'y avait rien devant ma porte.",
                "Le colis est bloqué en douane depuis {date}.",
                "Livrez-vous à {city} ? Combien de temps faut-il ?",
            ],
            "ambiguous": ["J'ai renvoyé le {product} il y a {days} jours et je n'ai aucune nouvelle."],
        },
        "technical": {
            "titles": ["L'appli plante", "{error}", "Bluetooth ne marche pas", "Pas de connexion wifi",
                       "Mise à jour échouée", "Bug dans {feature}", "Le {product} ne marche plus"],
            "core": [
                "L'application plante chaque fois que j'ouvre {feature} sur {device}.",
                "Depuis la version {version}, le {product} ne s'appaire plus en Bluetooth.",
                "J'ai l'erreur {error} pendant la synchronisation.",
                "Le {product} se déconnecte du wifi sans arrêt.",
                "La mise à jour du firmware a échoué et le voyant clignote en rouge.",
                "La batterie passe de 100% à 20% en une heure.",
                "L'export PDF donne une page blanche.",
                "Les notifications ne marchent plus depuis la dernière mise à jour.",
                "J'ai déjà tout réinitialisé et réinstallé, rien n'y fait.",
                "Il ne charge pas, même avec le câble d'origine.",
            ],
            "ambiguous": ["L'application me déconnecte toutes les deux minutes avec {error}."],
        },
        "account": {
            "titles": ["Impossible de me connecter", "Mot de passe oublié", "Supprimer mon compte",
                       "Compte bloqué", "Connexion suspecte", "Changer d'adresse e-mail"],
            "core": [
                "Impossible de me connecter, le mot de passe est refusé même après réinitialisation.",
                "Je ne reçois jamais l'e-mail de réinitialisation du mot de passe.",
                "Merci de supprimer mon compte et toutes mes données.",
                "Je veux changer l'adresse e-mail de mon compte.",
                "Mon compte a été bloqué après plusieurs tentatives.",
                "Quelqu'un s'est connecté à mon compte depuis {city}, ce n'était pas moi.",
                "Les codes de double authentification sont refusés.",
                "Le lien de vérification a expiré.",
                "Je voudrais télécharger une copie de mes données personnelles.",
                "J'ai perdu le numéro de téléphone utilisé pour la vérification.",
            ],
            "ambiguous": ["Fermez mon compte et remboursez le reste de mon abonnement {plan}."],
        },
        "praise": {
            "titles": ["Merci !", "Excellent service", "J'adore", "Bravo à {name}", "Client satisfait"],
            "core": [
                "Je voulais juste dire que le {product} est génial.",
                "{name}, du service client, a été d'une grande aide.",
                "Livraison plus rapide que prévu, merci !",
                "La nouvelle version est bien plus rapide, beau travail.",
                "Mon meilleur achat de l'année.",
                "Merci pour le remboursement si rapide.",
                "Mon problème de connexion a été réglé en quelques minutes.",
                "Cinq étoiles, je recommande.",
                "Continuez comme ça !",
            ],
        },
    },
}
