"""Fixed texts of the Telegram bot in nl, fr, de and en (Telegram HTML).

The texts are trusted markup; every value put into a ``{placeholder}`` must be escaped
by the caller (``html.escape``). ``text(key, language, **values)`` falls back to English.
"""

from __future__ import annotations

from bot.language import DEFAULT_LANGUAGE, LANGUAGES

_EMERGENCY = {
    "en": "In an emergency, call 112.",
    "nl": "Bel in een noodgeval 112.",
    "fr": "En cas d'urgence, appelez le 112.",
    "de": "Im Notfall rufen Sie 112 an.",
}

TEXTS: dict[str, dict[str, str]] = {
    "start": {
        "en": (
            "👋 <b>Hello!</b> I help frontline workers who protect victims of human "
            "trafficking in Belgium, the Netherlands and Luxembourg.\n\n"
            "<b>What I do:</b> I quote the rules that answer your question — national law, "
            "EU and Council of Europe texts — each with document, article, jurisdiction, "
            "version date and a link to the source.\n"
            "<b>What I don't do:</b> this is legal information, not legal advice. I do not "
            "assess individual cases, and I am not an emergency service. "
            + _EMERGENCY["en"] + "\n\n"
            "🔒 <b>Privacy:</b> please never share names or other identifying details of "
            "victims. I do not store your questions; see /privacy.\n\n"
            "<b>Try for example:</b>\n"
            "• How long is the reflection period in Luxembourg?\n"
            "• Which residence permit can a victim get in the Netherlands?\n"
            "• Who can refer a victim to a specialised centre in Belgium?\n\n"
            "More: /help"
        ),
        "nl": (
            "👋 <b>Hallo!</b> Ik help eerstelijnswerkers die slachtoffers van mensenhandel "
            "beschermen in België, Nederland en Luxemburg.\n\n"
            "<b>Wat ik doe:</b> ik citeer de regels die uw vraag beantwoorden — nationaal "
            "recht, EU-teksten en teksten van de Raad van Europa — telkens met document, "
            "artikel, rechtsgebied, versiedatum en een link naar de bron.\n"
            "<b>Wat ik niet doe:</b> dit is juridische informatie, geen juridisch advies. Ik "
            "beoordeel geen individuele situaties en ik ben geen hulpdienst. "
            + _EMERGENCY["nl"] + "\n\n"
            "🔒 <b>Privacy:</b> deel nooit namen of andere identificerende gegevens van "
            "slachtoffers. Ik bewaar uw vragen niet; zie /privacy.\n\n"
            "<b>Probeer bijvoorbeeld:</b>\n"
            "• Hoe lang duurt de bedenktijd in Luxemburg?\n"
            "• Welke verblijfsvergunning kan een slachtoffer in Nederland krijgen?\n"
            "• Wie kan een slachtoffer in België doorverwijzen naar een gespecialiseerd "
            "centrum?\n\n"
            "Meer: /help"
        ),
        "fr": (
            "👋 <b>Bonjour !</b> J'aide les intervenants de première ligne qui protègent les "
            "victimes de la traite des êtres humains en Belgique, aux Pays-Bas et au "
            "Luxembourg.\n\n"
            "<b>Ce que je fais :</b> je cite les règles qui répondent à votre question — droit "
            "national, textes de l'UE et du Conseil de l'Europe — chaque fois avec le "
            "document, l'article, la juridiction, la date de version et un lien vers la "
            "source.\n"
            "<b>Ce que je ne fais pas :</b> il s'agit d'information juridique, pas d'un avis "
            "juridique. Je n'évalue pas de situations individuelles et je ne suis pas un "
            "service d'urgence. " + _EMERGENCY["fr"] + "\n\n"
            "🔒 <b>Vie privée :</b> ne partagez jamais de noms ni d'autres données "
            "permettant d'identifier des victimes. Je ne conserve pas vos questions ; voir "
            "/privacy.\n\n"
            "<b>Essayez par exemple :</b>\n"
            "• Combien de temps dure le délai de réflexion au Luxembourg ?\n"
            "• Quel titre de séjour une victime peut-elle obtenir aux Pays-Bas ?\n"
            "• Qui peut orienter une victime vers un centre spécialisé en Belgique ?\n\n"
            "Plus : /help"
        ),
        "de": (
            "👋 <b>Hallo!</b> Ich unterstütze Fachkräfte, die Opfer von Menschenhandel in "
            "Belgien, den Niederlanden und Luxemburg schützen.\n\n"
            "<b>Was ich tue:</b> Ich zitiere die Regeln, die Ihre Frage beantworten — "
            "nationales Recht, Texte der EU und des Europarats — jeweils mit Dokument, "
            "Artikel, Rechtsordnung, Fassungsdatum und einem Link zur Quelle.\n"
            "<b>Was ich nicht tue:</b> Dies sind rechtliche Informationen, keine "
            "Rechtsberatung. Ich beurteile keine Einzelfälle und bin kein Notdienst. "
            + _EMERGENCY["de"] + "\n\n"
            "🔒 <b>Datenschutz:</b> Teilen Sie niemals Namen oder andere identifizierende "
            "Angaben von Opfern. Ich speichere Ihre Fragen nicht; siehe /privacy.\n\n"
            "<b>Probieren Sie zum Beispiel:</b>\n"
            "• Wie lange dauert die Bedenkzeit in Luxemburg?\n"
            "• Welchen Aufenthaltstitel kann ein Opfer in den Niederlanden erhalten?\n"
            "• Wer kann ein Opfer in Belgien an ein spezialisiertes Zentrum vermitteln?\n\n"
            "Mehr: /help"
        ),
    },
    "help": {
        "en": (
            "<b>How to ask</b>\n"
            "In a private chat, just type your question. In a group, write "
            "<code>/ask your question</code>, mention me or reply to one of my messages.\n\n"
            "<b>Commands</b>\n"
            "/country BE|NL|LU|all — answer for one country (or all)\n"
            "/lang nl|fr|de|en — language of the answers\n"
            "/sources — the documents I quote, with version dates\n"
            "/privacy — what is stored, and for how long\n"
            "/forget — delete everything stored about you\n\n"
            "Under each answer: 📄 the full text of a clause, 🌍 the same question for "
            "Belgium, the Netherlands and Luxembourg, 👍/👎 feedback."
        ),
        "nl": (
            "<b>Zo stelt u een vraag</b>\n"
            "In een privégesprek typt u gewoon uw vraag. In een groep schrijft u "
            "<code>/ask uw vraag</code>, vermeldt u mij of antwoordt u op een van mijn "
            "berichten.\n\n"
            "<b>Opdrachten</b>\n"
            "/country BE|NL|LU|all — antwoorden voor één land (of alle)\n"
            "/lang nl|fr|de|en — taal van de antwoorden\n"
            "/sources — de documenten die ik citeer, met versiedatum\n"
            "/privacy — wat er bewaard wordt en hoe lang\n"
            "/forget — alles wissen wat over u bewaard is\n\n"
            "Onder elk antwoord: 📄 de volledige tekst van een bepaling, 🌍 dezelfde vraag "
            "voor België, Nederland en Luxemburg, 👍/👎 feedback."
        ),
        "fr": (
            "<b>Comment poser une question</b>\n"
            "Dans une conversation privée, tapez simplement votre question. Dans un groupe, "
            "écrivez <code>/ask votre question</code>, mentionnez-moi ou répondez à l'un de "
            "mes messages.\n\n"
            "<b>Commandes</b>\n"
            "/country BE|NL|LU|all — répondre pour un pays (ou tous)\n"
            "/lang nl|fr|de|en — langue des réponses\n"
            "/sources — les documents que je cite, avec leur date de version\n"
            "/privacy — ce qui est conservé, et combien de temps\n"
            "/forget — effacer tout ce qui est conservé à votre sujet\n\n"
            "Sous chaque réponse : 📄 le texte intégral d'une disposition, 🌍 la même "
            "question pour la Belgique, les Pays-Bas et le Luxembourg, 👍/👎 votre avis."
        ),
        "de": (
            "<b>So stellen Sie eine Frage</b>\n"
            "Im privaten Chat schreiben Sie einfach Ihre Frage. In einer Gruppe schreiben Sie "
            "<code>/ask Ihre Frage</code>, erwähnen mich oder antworten auf eine meiner "
            "Nachrichten.\n\n"
            "<b>Befehle</b>\n"
            "/country BE|NL|LU|all — Antworten für ein Land (oder alle)\n"
            "/lang nl|fr|de|en — Sprache der Antworten\n"
            "/sources — die Dokumente, die ich zitiere, mit Fassungsdatum\n"
            "/privacy — was gespeichert wird und wie lange\n"
            "/forget — alles löschen, was über Sie gespeichert ist\n\n"
            "Unter jeder Antwort: 📄 der vollständige Text einer Bestimmung, 🌍 dieselbe "
            "Frage für Belgien, die Niederlande und Luxemburg, 👍/👎 Rückmeldung."
        ),
    },
    "privacy": {
        "en": (
            "🔒 <b>Privacy</b>\n"
            "• <b>Stored</b> (in the bot's data file): the preferences of a chat (/country, "
            "/lang) and your feedback: which clauses were rated, 👍 or 👎, and a short "
            "fingerprint (hash) of the question — never its text.\n"
            "• <b>Kept in memory only</b>: the text of your last questions, so that the "
            "buttons under an answer work — at most one hour and at most the last 1,000 "
            "questions of all users, never written to disk. After that a button asks you to "
            "ask again.\n"
            "• <b>Never</b>: your messages are not logged and not stored. The logs hold "
            "technical data only (update number, chat type, timings, outcome).\n"
            "• <b>Language model</b>: only if the operator switched on written answers, "
            "your question and the quoted clauses are sent to the configured model to write "
            "the short answer.\n"
            "• Telegram itself keeps the chat history.\n\n"
            "/forget deletes everything stored about you. Please never share identifying "
            "details of victims."
        ),
        "nl": (
            "🔒 <b>Privacy</b>\n"
            "• <b>Bewaard</b> (in het gegevensbestand van de bot): de voorkeuren van een "
            "gesprek (/country, /lang) en uw feedback: welke bepalingen beoordeeld werden, "
            "👍 of 👎, en een korte vingerafdruk (hash) van de vraag — nooit de tekst zelf.\n"
            "• <b>Alleen in het geheugen</b>: de tekst van uw laatste vragen, zodat de knoppen "
            "onder een antwoord werken — hoogstens één uur en hoogstens de laatste 1.000 "
            "vragen van alle gebruikers, nooit op schijf. Daarna vraagt een knop u de vraag "
            "opnieuw te stellen.\n"
            "• <b>Nooit</b>: uw berichten worden niet gelogd en niet bewaard. De logs bevatten "
            "alleen technische gegevens (updatenummer, soort gesprek, tijden, resultaat).\n"
            "• <b>Taalmodel</b>: alleen als de beheerder geschreven antwoorden aanzette, gaan "
            "uw vraag en de geciteerde bepalingen naar het ingestelde model om het korte "
            "antwoord te schrijven.\n"
            "• Telegram zelf bewaart de gespreksgeschiedenis.\n\n"
            "/forget wist alles wat over u bewaard is. Deel nooit identificerende gegevens "
            "van slachtoffers."
        ),
        "fr": (
            "🔒 <b>Vie privée</b>\n"
            "• <b>Conservé</b> (dans le fichier de données du bot) : les préférences d'une "
            "conversation (/country, /lang) et votre avis : quelles dispositions ont été "
            "évaluées, 👍 ou 👎, et une courte empreinte (hash) de la question — jamais son "
            "texte.\n"
            "• <b>En mémoire seulement</b> : le texte de vos dernières questions, pour que les "
            "boutons sous une réponse fonctionnent — une heure au plus et au plus les 1 000 "
            "dernières questions de tous les utilisateurs, jamais écrit sur disque. Ensuite, "
            "un bouton vous invite à reposer la question.\n"
            "• <b>Jamais</b> : vos messages ne sont ni journalisés ni conservés. Les journaux "
            "ne contiennent que des données techniques (numéro de mise à jour, type de "
            "conversation, durées, résultat).\n"
            "• <b>Modèle de langue</b> : seulement si l'exploitant a activé les réponses "
            "rédigées, votre question et les dispositions citées sont envoyées au modèle "
            "configuré pour rédiger la réponse courte.\n"
            "• Telegram conserve lui-même l'historique des conversations.\n\n"
            "/forget efface tout ce qui est conservé à votre sujet. Ne partagez jamais de "
            "données permettant d'identifier des victimes."
        ),
        "de": (
            "🔒 <b>Datenschutz</b>\n"
            "• <b>Gespeichert</b> (in der Datendatei des Bots): die Einstellungen eines Chats "
            "(/country, /lang) und Ihre Rückmeldungen: welche Bestimmungen bewertet wurden, "
            "👍 oder 👎, und ein kurzer Fingerabdruck (Hash) der Frage — nie ihr Text.\n"
            "• <b>Nur im Arbeitsspeicher</b>: der Text Ihrer letzten Fragen, damit die "
            "Schaltflächen unter einer Antwort funktionieren — höchstens eine Stunde und "
            "höchstens die letzten 1.000 Fragen aller Nutzer, nie auf der Festplatte. Danach "
            "bittet eine Schaltfläche Sie, die Frage erneut zu stellen.\n"
            "• <b>Nie</b>: Ihre Nachrichten werden weder protokolliert noch gespeichert. Die "
            "Protokolle enthalten nur technische Daten (Update-Nummer, Chat-Art, Zeiten, "
            "Ergebnis).\n"
            "• <b>Sprachmodell</b>: nur wenn der Betreiber geschriebene Antworten aktiviert "
            "hat, gehen Ihre Frage und die zitierten Bestimmungen an das eingestellte Modell, "
            "um die kurze Antwort zu schreiben.\n"
            "• Telegram selbst speichert den Chatverlauf.\n\n"
            "/forget löscht alles, was über Sie gespeichert ist. Teilen Sie nie "
            "identifizierende Angaben von Opfern."
        ),
    },
    "forgotten": {
        "en": "🗑 Done: your preferences and feedback are deleted.",
        "nl": "🗑 Klaar: uw voorkeuren en feedback zijn gewist.",
        "fr": "🗑 C'est fait : vos préférences et vos avis sont effacés.",
        "de": "🗑 Erledigt: Ihre Einstellungen und Rückmeldungen sind gelöscht.",
    },
    "country_set": {
        "en": "✅ I will answer for <b>{country}</b> (with EU and Council of Europe rules).",
        "nl": "✅ Ik antwoord voor <b>{country}</b> (met de regels van de EU en de Raad van "
              "Europa).",
        "fr": "✅ Je répondrai pour <b>{country}</b> (avec les règles de l'UE et du Conseil "
              "de l'Europe).",
        "de": "✅ Ich antworte für <b>{country}</b> (mit den Regeln der EU und des "
              "Europarats).",
    },
    "country_all": {
        "en": "✅ I will answer for Belgium, the Netherlands and Luxembourg.",
        "nl": "✅ Ik antwoord voor België, Nederland en Luxemburg.",
        "fr": "✅ Je répondrai pour la Belgique, les Pays-Bas et le Luxembourg.",
        "de": "✅ Ich antworte für Belgien, die Niederlande und Luxemburg.",
    },
    "country_usage": {
        "en": "Current setting: <b>{current}</b>.\nUse <code>/country BE</code>, "
              "<code>NL</code>, <code>LU</code> or <code>all</code>.",
        "nl": "Huidige instelling: <b>{current}</b>.\nGebruik <code>/country BE</code>, "
              "<code>NL</code>, <code>LU</code> of <code>all</code>.",
        "fr": "Réglage actuel : <b>{current}</b>.\nUtilisez <code>/country BE</code>, "
              "<code>NL</code>, <code>LU</code> ou <code>all</code>.",
        "de": "Aktuelle Einstellung: <b>{current}</b>.\nVerwenden Sie <code>/country BE</code>, "
              "<code>NL</code>, <code>LU</code> oder <code>all</code>.",
    },
    "lang_set": {
        "en": "✅ I will answer in English.",
        "nl": "✅ Ik antwoord in het Nederlands.",
        "fr": "✅ Je répondrai en français.",
        "de": "✅ Ich antworte auf Deutsch.",
    },
    "lang_usage": {
        "en": "Current setting: <b>{current}</b>.\nUse <code>/lang nl</code>, <code>fr</code>, "
              "<code>de</code>, <code>en</code> or <code>auto</code> (the language of each "
              "question).",
        "nl": "Huidige instelling: <b>{current}</b>.\nGebruik <code>/lang nl</code>, "
              "<code>fr</code>, <code>de</code>, <code>en</code> of <code>auto</code> (de taal "
              "van elke vraag).",
        "fr": "Réglage actuel : <b>{current}</b>.\nUtilisez <code>/lang nl</code>, "
              "<code>fr</code>, <code>de</code>, <code>en</code> ou <code>auto</code> (la "
              "langue de chaque question).",
        "de": "Aktuelle Einstellung: <b>{current}</b>.\nVerwenden Sie <code>/lang nl</code>, "
              "<code>fr</code>, <code>de</code>, <code>en</code> oder <code>auto</code> (die "
              "Sprache der jeweiligen Frage).",
    },
    "lang_auto": {
        "en": "✅ I will answer in the language of each question.",
        "nl": "✅ Ik antwoord in de taal van elke vraag.",
        "fr": "✅ Je répondrai dans la langue de chaque question.",
        "de": "✅ Ich antworte in der Sprache der jeweiligen Frage.",
    },
    "all_countries": {
        "en": "all (BE, NL, LU)", "nl": "alle (BE, NL, LU)", "fr": "tous (BE, NL, LU)",
        "de": "alle (BE, NL, LU)",
    },
    "auto": {
        "en": "automatic", "nl": "automatisch", "fr": "automatique", "de": "automatisch",
    },
    "unavailable": {
        "en": "⏳ The knowledge base is temporarily unavailable. Please try again in a few "
              "minutes.",
        "nl": "⏳ De kennisbank is tijdelijk niet beschikbaar. Probeer het over enkele minuten "
              "opnieuw.",
        "fr": "⏳ La base de connaissances est temporairement indisponible. Veuillez réessayer "
              "dans quelques minutes.",
        "de": "⏳ Die Wissensdatenbank ist vorübergehend nicht verfügbar. Bitte versuchen Sie "
              "es in einigen Minuten erneut.",
    },
    "error": {
        "en": "⚠️ Sorry, something went wrong on my side. Please try again.",
        "nl": "⚠️ Sorry, er ging bij mij iets mis. Probeer het opnieuw.",
        "fr": "⚠️ Désolé, une erreur s'est produite de mon côté. Veuillez réessayer.",
        "de": "⚠️ Entschuldigung, bei mir ist etwas schiefgelaufen. Bitte versuchen Sie es "
              "erneut.",
    },
    "rate_limited": {
        "en": "🙂 That was a lot of questions in a short time. Please wait about {seconds} "
              "seconds and ask again.",
        "nl": "🙂 Dat waren veel vragen in korte tijd. Wacht ongeveer {seconds} seconden en "
              "stel uw vraag opnieuw.",
        "fr": "🙂 Cela fait beaucoup de questions en peu de temps. Patientez environ {seconds} "
              "secondes et posez à nouveau votre question.",
        "de": "🙂 Das waren viele Fragen in kurzer Zeit. Bitte warten Sie etwa {seconds} "
              "Sekunden und fragen Sie dann erneut.",
    },
    "not_allowed": {
        "en": "🔒 Sorry, this assistant is only available to registered organisations. "
              "Please contact the person who gave you the link.",
        "nl": "🔒 Sorry, deze assistent is alleen beschikbaar voor geregistreerde "
              "organisaties. Neem contact op met de persoon die u de link gaf.",
        "fr": "🔒 Désolé, cet assistant est réservé aux organisations enregistrées. Veuillez "
              "contacter la personne qui vous a donné le lien.",
        "de": "🔒 Entschuldigung, dieser Assistent steht nur registrierten Organisationen zur "
              "Verfügung. Bitte wenden Sie sich an die Person, die Ihnen den Link gegeben hat.",
    },
    "admin_only": {
        "en": "This command is for administrators only.",
        "nl": "Deze opdracht is alleen voor beheerders.",
        "fr": "Cette commande est réservée aux administrateurs.",
        "de": "Dieser Befehl ist nur für Administratoren.",
    },
    "unsupported": {
        "en": "🙂 I can only read text. Please type your question as a message.",
        "nl": "🙂 Ik kan alleen tekst lezen. Typ uw vraag als bericht.",
        "fr": "🙂 Je ne peux lire que du texte. Veuillez taper votre question dans un "
              "message.",
        "de": "🙂 Ich kann nur Text lesen. Bitte schreiben Sie Ihre Frage als Nachricht.",
    },
    "empty": {
        "en": "🙂 Please type a question, for example: <i>How long is the reflection period "
              "in Luxembourg?</i>",
        "nl": "🙂 Typ een vraag, bijvoorbeeld: <i>Hoe lang duurt de bedenktijd in "
              "Luxemburg?</i>",
        "fr": "🙂 Veuillez taper une question, par exemple : <i>Combien de temps dure le "
              "délai de réflexion au Luxembourg ?</i>",
        "de": "🙂 Bitte schreiben Sie eine Frage, zum Beispiel: <i>Wie lange dauert die "
              "Bedenkzeit in Luxemburg?</i>",
    },
    "ask_usage": {
        "en": "🙂 Write your question after the command, for example: <code>/ask How long "
              "is the reflection period in Luxembourg?</code>",
        "nl": "🙂 Schrijf uw vraag na de opdracht, bijvoorbeeld: <code>/ask Hoe lang duurt "
              "de bedenktijd in Luxemburg?</code>",
        "fr": "🙂 Écrivez votre question après la commande, par exemple : <code>/ask Combien "
              "de temps dure le délai de réflexion au Luxembourg ?</code>",
        "de": "🙂 Schreiben Sie Ihre Frage nach dem Befehl, zum Beispiel: <code>/ask Wie "
              "lange dauert die Bedenkzeit in Luxemburg?</code>",
    },
    "too_long": {
        "en": "✂️ Your question is too long ({length} characters; at most {limit}). Please "
              "ask it in one or two sentences.",
        "nl": "✂️ Uw vraag is te lang ({length} tekens; hoogstens {limit}). Stel ze in één "
              "of twee zinnen.",
        "fr": "✂️ Votre question est trop longue ({length} caractères ; {limit} au plus). "
              "Formulez-la en une ou deux phrases.",
        "de": "✂️ Ihre Frage ist zu lang ({length} Zeichen; höchstens {limit}). Bitte "
              "stellen Sie sie in ein oder zwei Sätzen.",
    },
    "question_invalid": {
        "en": "🙂 I could not read this as a question. Please rephrase it in one or two "
              "sentences.",
        "nl": "🙂 Ik kon dit niet als vraag lezen. Formuleer ze in één of twee zinnen.",
        "fr": "🙂 Je n'ai pas pu lire ceci comme une question. Reformulez-la en une ou deux "
              "phrases.",
        "de": "🙂 Ich konnte das nicht als Frage lesen. Bitte formulieren Sie sie in ein oder "
              "zwei Sätzen.",
    },
    "unknown_command": {
        "en": "I don't know this command. See /help.",
        "nl": "Deze opdracht ken ik niet. Zie /help.",
        "fr": "Je ne connais pas cette commande. Voir /help.",
        "de": "Diesen Befehl kenne ich nicht. Siehe /help.",
    },
    "expired": {
        "en": "⌛ I no longer keep this question (questions are kept for one hour only). "
              "Please ask it again.",
        "nl": "⌛ Ik bewaar deze vraag niet meer (vragen worden maar één uur bewaard). Stel ze "
              "opnieuw.",
        "fr": "⌛ Je ne conserve plus cette question (les questions ne sont gardées qu'une "
              "heure). Veuillez la reposer.",
        "de": "⌛ Diese Frage habe ich nicht mehr (Fragen werden nur eine Stunde aufbewahrt). "
              "Bitte stellen Sie sie erneut.",
    },
    "clause_gone": {
        "en": "This clause is no longer in the knowledge base. Please ask again.",
        "nl": "Deze bepaling staat niet meer in de kennisbank. Stel uw vraag opnieuw.",
        "fr": "Cette disposition ne figure plus dans la base de connaissances. Veuillez "
              "reposer la question.",
        "de": "Diese Bestimmung ist nicht mehr in der Wissensdatenbank. Bitte fragen Sie "
              "erneut.",
    },
    "thanks_up": {
        "en": "Thank you for your feedback! 👍",
        "nl": "Bedankt voor uw feedback! 👍",
        "fr": "Merci pour votre avis ! 👍",
        "de": "Danke für Ihre Rückmeldung! 👍",
    },
    "thanks_down": {
        "en": "Thank you — this helps us improve the sources. 👎",
        "nl": "Bedankt — zo kunnen we de bronnen verbeteren. 👎",
        "fr": "Merci — cela nous aide à améliorer les sources. 👎",
        "de": "Danke — das hilft uns, die Quellen zu verbessern. 👎",
    },
    "personal_data": {
        "en": "🔒 Your question seems to contain personal data (a name with a date of birth, "
              "a phone number, an e-mail address or a document number). Please don't share "
              "identifying details of victims here.",
        "nl": "🔒 Uw vraag lijkt persoonsgegevens te bevatten (een naam met geboortedatum, "
              "een telefoonnummer, een e-mailadres of een documentnummer). Deel hier geen "
              "identificerende gegevens van slachtoffers.",
        "fr": "🔒 Votre question semble contenir des données personnelles (un nom avec une "
              "date de naissance, un numéro de téléphone, une adresse e-mail ou un numéro de "
              "document). Ne partagez pas ici de données permettant d'identifier des "
              "victimes.",
        "de": "🔒 Ihre Frage scheint personenbezogene Daten zu enthalten (einen Namen mit "
              "Geburtsdatum, eine Telefonnummer, eine E-Mail-Adresse oder eine "
              "Ausweisnummer). Bitte teilen Sie hier keine identifizierenden Angaben von "
              "Opfern.",
    },
    "source": {"en": "source", "nl": "bron", "fr": "source", "de": "Quelle"},
    "version": {"en": "version", "nl": "versie", "fr": "version", "de": "Fassung"},
    "continued": {
        "en": "(continued)", "nl": "(vervolg)", "fr": "(suite)", "de": "(Fortsetzung)",
    },
    "btn_full": {
        "en": "Full text", "nl": "Volledige tekst", "fr": "Texte intégral",
        "de": "Volltext",
    },
    "btn_compare": {
        "en": "🌍 Compare BE · NL · LU", "nl": "🌍 Vergelijk BE · NL · LU",
        "fr": "🌍 Comparer BE · NL · LU", "de": "🌍 Vergleichen BE · NL · LU",
    },
    "btn_up": {"en": "👍 Helpful", "nl": "👍 Nuttig", "fr": "👍 Utile", "de": "👍 Hilfreich"},
    "btn_down": {
        "en": "👎 Not helpful", "nl": "👎 Niet nuttig", "fr": "👎 Pas utile",
        "de": "👎 Nicht hilfreich",
    },
    "compare_title": {
        "en": "🌍 <b>The same question in Belgium, the Netherlands and Luxembourg</b>",
        "nl": "🌍 <b>Dezelfde vraag in België, Nederland en Luxemburg</b>",
        "fr": "🌍 <b>La même question en Belgique, aux Pays-Bas et au Luxembourg</b>",
        "de": "🌍 <b>Dieselbe Frage in Belgien, den Niederlanden und Luxemburg</b>",
    },
    "compare_none": {
        "en": "Nothing found in the rules for this country.",
        "nl": "Niets gevonden in de regels voor dit land.",
        "fr": "Rien trouvé dans les règles de ce pays.",
        "de": "Nichts in den Regeln für dieses Land gefunden.",
    },
    "country_BE": {"en": "🇧🇪 Belgium", "nl": "🇧🇪 België", "fr": "🇧🇪 Belgique",
                   "de": "🇧🇪 Belgien"},
    "country_NL": {"en": "🇳🇱 Netherlands", "nl": "🇳🇱 Nederland", "fr": "🇳🇱 Pays-Bas",
                   "de": "🇳🇱 Niederlande"},
    "country_LU": {"en": "🇱🇺 Luxembourg", "nl": "🇱🇺 Luxemburg", "fr": "🇱🇺 Luxembourg",
                   "de": "🇱🇺 Luxemburg"},
    "sources_title": {
        "en": "📚 <b>Documents I quote</b>",
        "nl": "📚 <b>Documenten die ik citeer</b>",
        "fr": "📚 <b>Documents que je cite</b>",
        "de": "📚 <b>Dokumente, die ich zitiere</b>",
    },
    "sources_none": {
        "en": "No documents are indexed yet.",
        "nl": "Er zijn nog geen documenten geïndexeerd.",
        "fr": "Aucun document n'est encore indexé.",
        "de": "Es sind noch keine Dokumente indexiert.",
    },
    "reload_done": {
        "en": "🔄 Index reopened: {count} documents.",
        "nl": "🔄 Index opnieuw geopend: {count} documenten.",
        "fr": "🔄 Index rouvert : {count} documents.",
        "de": "🔄 Index neu geöffnet: {count} Dokumente.",
    },
    "reload_failed": {
        "en": "❌ The index could not be reopened: {reason}",
        "nl": "❌ De index kon niet opnieuw geopend worden: {reason}",
        "fr": "❌ L'index n'a pas pu être rouvert : {reason}",
        "de": "❌ Der Index konnte nicht neu geöffnet werden: {reason}",
    },
    "stats": {
        "en": "📊 <b>Statistics</b> (counts only)\n"
              "Questions answered: {questions}\n"
              "• with cited clauses: {grounded}\n"
              "• nothing found: {not_grounded}\n"
              "Feedback: 👍 {up} · 👎 {down}\n"
              "Chats with preferences: {chats}",
        "nl": "📊 <b>Statistieken</b> (alleen aantallen)\n"
              "Beantwoorde vragen: {questions}\n"
              "• met geciteerde bepalingen: {grounded}\n"
              "• niets gevonden: {not_grounded}\n"
              "Feedback: 👍 {up} · 👎 {down}\n"
              "Gesprekken met voorkeuren: {chats}",
        "fr": "📊 <b>Statistiques</b> (nombres seulement)\n"
              "Questions traitées : {questions}\n"
              "• avec dispositions citées : {grounded}\n"
              "• rien trouvé : {not_grounded}\n"
              "Avis : 👍 {up} · 👎 {down}\n"
              "Conversations avec préférences : {chats}",
        "de": "📊 <b>Statistik</b> (nur Zahlen)\n"
              "Beantwortete Fragen: {questions}\n"
              "• mit zitierten Bestimmungen: {grounded}\n"
              "• nichts gefunden: {not_grounded}\n"
              "Rückmeldungen: 👍 {up} · 👎 {down}\n"
              "Chats mit Einstellungen: {chats}",
    },
}

COMMANDS: dict[str, dict[str, str]] = {
    "ask": {"en": "Ask a question", "nl": "Een vraag stellen", "fr": "Poser une question",
            "de": "Eine Frage stellen"},
    "country": {"en": "Answer for BE, NL, LU or all", "nl": "Antwoorden voor BE, NL, LU of alle",
                "fr": "Répondre pour BE, NL, LU ou tous",
                "de": "Antworten für BE, NL, LU oder alle"},
    "lang": {"en": "Language of the answers", "nl": "Taal van de antwoorden",
             "fr": "Langue des réponses", "de": "Sprache der Antworten"},
    "sources": {"en": "Documents and version dates", "nl": "Documenten en versiedata",
                "fr": "Documents et dates de version", "de": "Dokumente und Fassungsdaten"},
    "help": {"en": "How to use the assistant", "nl": "Zo gebruikt u de assistent",
             "fr": "Comment utiliser l'assistant", "de": "So nutzen Sie den Assistenten"},
    "privacy": {"en": "What is stored", "nl": "Wat er bewaard wordt", "fr": "Ce qui est conservé",
                "de": "Was gespeichert wird"},
    "forget": {"en": "Delete my data", "nl": "Mijn gegevens wissen",
               "fr": "Effacer mes données", "de": "Meine Daten löschen"},
}
"""Descriptions of the commands shown in Telegram's menu, per language."""


def text(key: str, language: str | None, **values: object) -> str:
    """The fixed text ``key`` in ``language`` (English when missing), formatted.

    Args:
        key: A key of ``TEXTS``.
        language: nl, fr, de or en; anything else gives English.
        **values: Already escaped values for the placeholders.
    """
    variants = TEXTS[key]
    template = variants.get(language or DEFAULT_LANGUAGE) or variants[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def _check_complete() -> None:
    for key, variants in {**TEXTS, **COMMANDS}.items():
        missing = set(LANGUAGES) - set(variants)
        if missing:
            raise AssertionError(f"text {key!r} lacks {sorted(missing)}")


_check_complete()
