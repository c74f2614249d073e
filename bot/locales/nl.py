"""Dutch texts (see ``bot.locales`` for the conventions)."""

TEXTS: dict[str, str] = {
    "lead": "Dit zeggen de bronnen (meest relevante eerst; juridische informatie, geen advies):",
    "lead_country": "Voor {country} (nationale regels plus EU, Raad van Europa en Benelux):",
    "lead_country_follow": (
        "Voor {country}, in het verlengde van uw vorige vraag (nationale regels plus EU, Raad "
        "van Europa en Benelux):"
    ),
    "off_topic": (
        "Dit valt buiten wat ik weet: ik beantwoord vragen over de bescherming van "
        "slachtoffers van mensenhandel in België, Nederland en Luxemburg (verblijf, "
        "bedenktijd, hulp, kinderen, schadevergoeding …). /help toont voorbeelden."
    ),
    "not_covered": (
        "Mijn kennisbank bevat geen regel die deze vraag beantwoordt, dus ik gok niet. "
        "Vraag het aan de organisaties hieronder; zij kunnen het beantwoorden."
    ),
    "nearby": (
        "Wel heb ik regels over verwante onderwerpen: {topics}."
    ),
    "stale": "⚠️ tekst van {date} — controleer de huidige versie",
    "checked_on": "gecontroleerd {date}",
    "text_of": "tekst van {date}",
    "mark_official": "📜 officiële tekst",
    "mark_checked": "✅ gecontroleerd aan de officiële tekst",
    "mark_partly": "⚠️ deels niet geverifieerd",
    "mark_unverified": "⚠️ niet geverifieerd — controleer dit eerst",
    "official_text": "📜 Officiële tekst: {name}",
    "start": (
        "👋 <b>Hallo!</b> Ik help eerstelijnswerkers die slachtoffers van mensenhandel "
        "beschermen in België, Nederland en Luxemburg.\n"
        "\n<b>Wat ik doe:</b> ik citeer de regels die uw vraag beantwoorden — nationaal recht, "
        "EU-teksten en teksten van de Raad van Europa — telkens met document, artikel, "
        "rechtsgebied, versiedatum en een link naar de bron.\n"
        "<b>Wat ik niet doe:</b> dit is juridische informatie, geen juridisch advies. Ik "
        "beoordeel geen individuele situaties en ik ben geen hulpdienst. Bel in een noodgeval "
        "112.\n\n🔒 <b>Privacy:</b> deel nooit namen of andere identificerende gegevens van "
        "slachtoffers. Ik bewaar uw vragen niet; zie /privacy.\n"
        "\n<b>Probeer bijvoorbeeld:</b>\n• Hoe lang duurt de bedenktijd in Luxemburg?\n"
        "• Welke verblijfsvergunning kan een slachtoffer in Nederland krijgen?\n"
        "• Wie kan een slachtoffer in België doorverwijzen naar een gespecialiseerd centrum?\n"
        "\nMeer: /help"
    ),
    "help": (
        "<b>Zo stelt u een vraag</b>\nIn een privégesprek typt u gewoon uw vraag. In een groep "
        "schrijft u <code>/ask uw vraag</code>, vermeldt u mij of antwoordt u op een van mijn "
        "berichten.\n\n<b>Opdrachten</b>\n/country BE|NL|LU|all — antwoorden voor één land (of "
        "alle)\n/lang nl|fr|de|en — taal van de antwoorden\n"
        "/sources — de documenten die ik citeer, met versiedatum\n"
        "/privacy — wat er bewaard wordt en hoe lang\n"
        "/forget — alles wissen wat over u bewaard is\n"
        "\nOnder elk antwoord: 📄 de volledige tekst van een bepaling, 🌍 dezelfde vraag voor "
        "België, Nederland en Luxemburg, 👍/👎 feedback."
    ),
    "privacy": (
        "🔒 <b>Privacy</b>\n• <b>Bewaard</b> (in het gegevensbestand van de bot): de voorkeuren "
        "van een gesprek (/country, /lang) en uw feedback: welke bepalingen beoordeeld werden, "
        "👍 of 👎, en een korte vingerafdruk (hash) van de vraag — nooit de tekst zelf.\n"
        "• <b>Alleen in het geheugen</b>: de tekst van uw laatste vragen, zodat de knoppen "
        "onder een antwoord werken — hoogstens één uur en hoogstens de laatste 1.000 vragen "
        "van alle gebruikers, nooit op schijf. Daarna vraagt een knop u de vraag opnieuw te "
        "stellen.\n• <b>Nooit</b>: uw berichten worden niet gelogd en niet bewaard. De logs "
        "bevatten alleen technische gegevens (updatenummer, soort gesprek, tijden, "
        "resultaat).\n• <b>Taalmodel</b>: alleen als de beheerder geschreven antwoorden "
        "aanzette, gaan uw vraag en de geciteerde bepalingen naar het ingestelde model om het "
        "korte antwoord te schrijven.\n• Telegram zelf bewaart de gespreksgeschiedenis.\n"
        "\n/forget wist alles wat over u bewaard is. Deel nooit identificerende gegevens van "
        "slachtoffers."
    ),
    "forgotten": "🗑 Klaar: uw voorkeuren en feedback zijn gewist.",
    "country_set": (
        "✅ Ik antwoord voor <b>{country}</b> (met de regels van de EU en de Raad van Europa)."
    ),
    "country_all": "✅ Ik antwoord voor België, Nederland en Luxemburg.",
    "country_usage": (
        "Huidige instelling: <b>{current}</b>.\nGebruik <code>/country BE</code>, "
        "<code>NL</code>, <code>LU</code> of <code>all</code>."
    ),
    "lang_set": "✅ Ik antwoord in het Nederlands.",
    "lang_usage": (
        "Huidige instelling: <b>{current}</b>.\nGebruik <code>/lang nl</code>, "
        "<code>fr</code>, <code>de</code>, <code>en</code> of <code>auto</code> (de taal van "
        "elke vraag)."
    ),
    "lang_auto": "✅ Ik antwoord in de taal van elke vraag.",
    "all_countries": "alle (BE, NL, LU)",
    "auto": "automatisch",
    "unavailable": (
        "⏳ De kennisbank is tijdelijk niet beschikbaar. Probeer het over enkele minuten "
        "opnieuw."
    ),
    "error": "⚠️ Sorry, er ging bij mij iets mis. Probeer het opnieuw.",
    "rate_limited": (
        "🙂 Dat waren veel vragen in korte tijd. Wacht ongeveer {seconds} seconden en stel uw "
        "vraag opnieuw."
    ),
    "not_allowed": (
        "🔒 Sorry, deze assistent is alleen beschikbaar voor geregistreerde organisaties. Neem "
        "contact op met de persoon die u de link gaf."
    ),
    "admin_only": "Deze opdracht is alleen voor beheerders.",
    "unsupported": "🙂 Ik kan alleen tekst lezen. Typ uw vraag als bericht.",
    "empty": "🙂 Typ een vraag, bijvoorbeeld: Hoe lang duurt de bedenktijd in Luxemburg?",
    "ask_usage": (
        "🙂 Schrijf uw vraag na de opdracht, bijvoorbeeld: <code>/ask Hoe lang duurt de "
        "bedenktijd in Luxemburg?</code>"
    ),
    "too_long": (
        "✂️ Uw vraag is te lang ({length} tekens; hoogstens {limit}). Stel ze in één of twee "
        "zinnen."
    ),
    "question_invalid": "🙂 Ik kon dit niet als vraag lezen. Formuleer ze in één of twee zinnen.",
    "unknown_command": "Deze opdracht ken ik niet. Zie /help.",
    "expired": (
        "⌛ Ik bewaar deze vraag niet meer (vragen worden maar één uur bewaard). Stel ze "
        "opnieuw."
    ),
    "clause_gone": "Deze bepaling staat niet meer in de kennisbank. Stel uw vraag opnieuw.",
    "thanks_up": "Bedankt voor uw feedback! 👍",
    "thanks_down": "Bedankt — zo kunnen we de bronnen verbeteren. 👎",
    "personal_data": (
        "🔒 Uw vraag lijkt persoonsgegevens te bevatten (een naam met geboortedatum, een "
        "telefoonnummer, een e-mailadres of een documentnummer). Deel hier geen "
        "identificerende gegevens van slachtoffers."
    ),
    "source": "bron",
    "version": "versie",
    "continued": "(vervolg)",
    "btn_full": "Volledige tekst",
    "btn_compare": "🌍 Vergelijk BE · NL · LU",
    "btn_up": "👍 Nuttig",
    "btn_down": "👎 Niet nuttig",
    "compare_title": "🌍 <b>Dezelfde vraag in België, Nederland en Luxemburg</b>",
    "compare_none": "Niets gevonden in de regels voor dit land.",
    "sources_title": "📚 <b>Documenten die ik citeer</b>",
    "sources_none": "Er zijn nog geen documenten geïndexeerd.",
    "reload_done": "🔄 Index opnieuw geopend: {count} documenten.",
    "reload_failed": "❌ De index kon niet opnieuw geopend worden: {reason}",
    "stats": (
        "📊 <b>Statistieken</b> (alleen aantallen)\n"
        "Beantwoorde vragen: {questions}\n• met geciteerde bepalingen: {grounded}\n"
        "• niets gevonden: {not_grounded}\nFeedback: 👍 {up} · 👎 {down}\n"
        "Gesprekken met voorkeuren: {chats}"
    ),
}

COMMANDS: dict[str, str] = {
    "ask": "Een vraag stellen",
    "country": "Antwoorden voor BE, NL, LU of alle",
    "lang": "Taal van de antwoorden",
    "sources": "Documenten en versiedata",
    "help": "Zo gebruikt u de assistent",
    "privacy": "Wat er bewaard wordt",
    "forget": "Mijn gegevens wissen",
}
"""Descriptions of the commands in Telegram's menu."""
