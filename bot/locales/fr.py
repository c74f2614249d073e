"""French texts (see ``bot.locales`` for the conventions)."""

TEXTS: dict[str, str] = {
    "lead": (
        "Voici ce que disent les sources (la plus pertinente d'abord ; information juridique, "
        "pas un avis) :"
    ),
    "lead_country": "Pour {country} (règles nationales plus UE, Conseil de l'Europe et Benelux) :",
    "lead_country_follow": (
        "Pour {country}, dans la suite de votre question précédente (règles nationales plus "
        "UE, Conseil de l'Europe et Benelux) :"
    ),
    "off_topic": (
        "Cela sort de ce que je connais : je réponds aux questions sur la protection des "
        "victimes de la traite des êtres humains en Belgique, aux Pays-Bas et au "
        "Luxembourg (séjour, délai de réflexion, assistance, enfants, indemnisation …). "
        "/help donne des exemples."
    ),
    "not_covered": (
        "Ma base de connaissances ne contient aucune règle qui réponde à cette question, "
        "je préfère ne pas deviner. Adressez-vous aux organisations ci-dessous ; elles "
        "peuvent y répondre."
    ),
    "nearby": (
        "J'ai en revanche des règles sur des sujets voisins : {topics}."
    ),
    "stale": "⚠️ texte du {date} — vérifiez la version en vigueur",
    "checked_on": "vérifié le {date}",
    "text_of": "texte du {date}",
    "mark_official": "📜 texte officiel",
    "mark_checked": "✅ vérifié sur le texte officiel",
    "mark_partly": "⚠️ en partie non vérifié",
    "mark_unverified": "⚠️ non vérifié — à vérifier avant de s'y fier",
    "official_text": "📜 Texte officiel : {name}",
    "start": (
        "👋 <b>Bonjour !</b> J'aide les intervenants de première ligne qui protègent les "
        "victimes de la traite des êtres humains en Belgique, aux Pays-Bas et au Luxembourg.\n"
        "\n<b>Ce que je fais :</b> je cite les règles qui répondent à votre question — droit "
        "national, textes de l'UE et du Conseil de l'Europe — chaque fois avec le document, "
        "l'article, la juridiction, la date de version et un lien vers la source.\n"
        "<b>Ce que je ne fais pas :</b> il s'agit d'information juridique, pas d'un avis "
        "juridique. Je n'évalue pas de situations individuelles et je ne suis pas un service "
        "d'urgence. En cas d'urgence, appelez le 112.\n"
        "\n🔒 <b>Vie privée :</b> ne partagez jamais de noms ni d'autres données permettant "
        "d'identifier des victimes. Je ne conserve pas vos questions ; voir /privacy.\n"
        "\n<b>Essayez par exemple :</b>\n• Combien de temps dure le délai de réflexion au "
        "Luxembourg ?\n• Quel titre de séjour une victime peut-elle obtenir aux Pays-Bas ?\n"
        "• Qui peut orienter une victime vers un centre spécialisé en Belgique ?\n"
        "\nPlus : /help"
    ),
    "help": (
        "<b>Comment poser une question</b>\nDans une conversation privée, tapez simplement "
        "votre question. Dans un groupe, écrivez <code>/ask votre question</code>, "
        "mentionnez-moi ou répondez à l'un de mes messages.\n"
        "\n<b>Commandes</b>\n/country BE|NL|LU|all — répondre pour un pays (ou tous)\n"
        "/lang nl|fr|de|en — langue des réponses\n/sources — les documents que je cite, avec "
        "leur date de version\n/privacy — ce qui est conservé, et combien de temps\n"
        "/forget — effacer tout ce qui est conservé à votre sujet\n"
        "\nSous chaque réponse : 📄 le texte intégral d'une disposition, 🌍 la même question "
        "pour la Belgique, les Pays-Bas et le Luxembourg, 👍/👎 votre avis."
    ),
    "privacy": (
        "🔒 <b>Vie privée</b>\n• <b>Conservé</b> (dans le fichier de données du bot) : les "
        "préférences d'une conversation (/country, /lang) et votre avis : quelles dispositions "
        "ont été évaluées, 👍 ou 👎, et une courte empreinte (hash) de la question — jamais son "
        "texte.\n• <b>En mémoire seulement</b> : le texte de vos dernières questions, pour que "
        "les boutons sous une réponse fonctionnent — une heure au plus et au plus les 1 000 "
        "dernières questions de tous les utilisateurs, jamais écrit sur disque. Ensuite, un "
        "bouton vous invite à reposer la question.\n"
        "• <b>Jamais</b> : vos messages ne sont ni journalisés ni conservés. Les journaux ne "
        "contiennent que des données techniques (numéro de mise à jour, type de conversation, "
        "durées, résultat).\n• <b>Modèle de langue</b> : seulement si l'exploitant a activé "
        "les réponses rédigées, votre question et les dispositions citées sont envoyées au "
        "modèle configuré pour rédiger la réponse courte.\n"
        "• Telegram conserve lui-même l'historique des conversations.\n"
        "\n/forget efface tout ce qui est conservé à votre sujet. Ne partagez jamais de "
        "données permettant d'identifier des victimes."
    ),
    "forgotten": "🗑 C'est fait : vos préférences et vos avis sont effacés.",
    "country_set": (
        "✅ Je répondrai pour <b>{country}</b> (avec les règles de l'UE et du Conseil de "
        "l'Europe)."
    ),
    "country_all": "✅ Je répondrai pour la Belgique, les Pays-Bas et le Luxembourg.",
    "country_usage": (
        "Réglage actuel : <b>{current}</b>.\nUtilisez <code>/country BE</code>, "
        "<code>NL</code>, <code>LU</code> ou <code>all</code>."
    ),
    "lang_set": "✅ Je répondrai en français.",
    "lang_usage": (
        "Réglage actuel : <b>{current}</b>.\nUtilisez <code>/lang nl</code>, <code>fr</code>, "
        "<code>de</code>, <code>en</code> ou <code>auto</code> (la langue de chaque question)."
    ),
    "lang_auto": "✅ Je répondrai dans la langue de chaque question.",
    "all_countries": "tous (BE, NL, LU)",
    "auto": "automatique",
    "unavailable": (
        "⏳ La base de connaissances est temporairement indisponible. Veuillez réessayer dans "
        "quelques minutes."
    ),
    "error": "⚠️ Désolé, une erreur s'est produite de mon côté. Veuillez réessayer.",
    "rate_limited": (
        "🙂 Cela fait beaucoup de questions en peu de temps. Patientez environ {seconds} "
        "secondes et posez à nouveau votre question."
    ),
    "not_allowed": (
        "🔒 Désolé, cet assistant est réservé aux organisations enregistrées. Veuillez "
        "contacter la personne qui vous a donné le lien."
    ),
    "admin_only": "Cette commande est réservée aux administrateurs.",
    "unsupported": (
        "🙂 Je ne peux lire que du texte. Veuillez taper votre question dans un message."
    ),
    "empty": (
        "🙂 Veuillez taper une question, par exemple : Combien de temps dure le délai de "
        "réflexion au Luxembourg ?"
    ),
    "ask_usage": (
        "🙂 Écrivez votre question après la commande, par exemple : <code>/ask Combien de temps "
        "dure le délai de réflexion au Luxembourg ?</code>"
    ),
    "too_long": (
        "✂️ Votre question est trop longue ({length} caractères ; {limit} au plus). "
        "Formulez-la en une ou deux phrases."
    ),
    "question_invalid": (
        "🙂 Je n'ai pas pu lire ceci comme une question. Reformulez-la en une ou deux phrases."
    ),
    "unknown_command": "Je ne connais pas cette commande. Voir /help.",
    "expired": (
        "⌛ Je ne conserve plus cette question (les questions ne sont gardées qu'une heure). "
        "Veuillez la reposer."
    ),
    "clause_gone": (
        "Cette disposition ne figure plus dans la base de connaissances. Veuillez reposer la "
        "question."
    ),
    "thanks_up": "Merci pour votre avis ! 👍",
    "thanks_down": "Merci — cela nous aide à améliorer les sources. 👎",
    "personal_data": (
        "🔒 Votre question semble contenir des données personnelles (un nom avec une date de "
        "naissance, un numéro de téléphone, une adresse e-mail ou un numéro de document). Ne "
        "partagez pas ici de données permettant d'identifier des victimes."
    ),
    "source": "source",
    "version": "version",
    "continued": "(suite)",
    "btn_full": "Texte intégral",
    "btn_compare": "🌍 Comparer BE · NL · LU",
    "btn_up": "👍 Utile",
    "btn_down": "👎 Pas utile",
    "compare_title": "🌍 <b>La même question en Belgique, aux Pays-Bas et au Luxembourg</b>",
    "compare_none": "Rien trouvé dans les règles de ce pays.",
    "sources_title": "📚 <b>Documents que je cite</b>",
    "sources_none": "Aucun document n'est encore indexé.",
    "reload_done": "🔄 Index rouvert : {count} documents.",
    "reload_failed": "❌ L'index n'a pas pu être rouvert : {reason}",
    "stats": (
        "📊 <b>Statistiques</b> (nombres seulement)\n"
        "Questions traitées : {questions}\n• avec dispositions citées : {grounded}\n"
        "• rien trouvé : {not_grounded}\nAvis : 👍 {up} · 👎 {down}\n"
        "Conversations avec préférences : {chats}"
    ),
}

COMMANDS: dict[str, str] = {
    "ask": "Poser une question",
    "country": "Répondre pour BE, NL, LU ou tous",
    "lang": "Langue des réponses",
    "sources": "Documents et dates de version",
    "help": "Comment utiliser l'assistant",
    "privacy": "Ce qui est conservé",
    "forget": "Effacer mes données",
}
"""Descriptions of the commands in Telegram's menu."""
