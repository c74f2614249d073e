"""German texts (see ``bot.locales`` for the conventions)."""

TEXTS: dict[str, str] = {
    "lead": (
        "Das sagen die Quellen (die wichtigste zuerst; rechtliche Information, keine Beratung):"
    ),
    "lead_country": "Für {country} (nationale Regeln plus EU, Europarat und Benelux):",
    "lead_country_follow": (
        "Für {country}, im Anschluss an Ihre vorige Frage (nationale Regeln plus EU, Europarat "
        "und Benelux):"
    ),
    "off_topic": (
        "Das liegt außerhalb dessen, was ich weiß: Ich beantworte Fragen zum Schutz von "
        "Opfern von Menschenhandel in Belgien, den Niederlanden und Luxemburg "
        "(Aufenthalt, Bedenkzeit, Unterstützung, Kinder, Entschädigung …). /help zeigt "
        "Beispiele."
    ),
    "not_covered": (
        "Meine Wissensbasis enthält keine Regel, die diese Frage beantwortet, daher rate "
        "ich nicht. Fragen Sie die unten genannten Stellen; sie können sie beantworten."
    ),
    "nearby": (
        "Zu benachbarten Themen habe ich Regeln: {topics}."
    ),
    "stale": "⚠️ Text vom {date} — prüfen Sie die geltende Fassung",
    "checked_on": "geprüft am {date}",
    "text_of": "Text vom {date}",
    "mark_official": "📜 amtlicher Text",
    "mark_checked": "✅ am amtlichen Text geprüft",
    "mark_partly": "⚠️ teilweise ungeprüft",
    "mark_unverified": "⚠️ ungeprüft — vor Verwendung prüfen",
    "official_text": "📜 Amtlicher Text: {name}",
    "start": (
        "👋 <b>Hallo!</b> Ich unterstütze Fachkräfte, die Opfer von Menschenhandel in Belgien, "
        "den Niederlanden und Luxemburg schützen.\n"
        "\n<b>Was ich tue:</b> Ich zitiere die Regeln, die Ihre Frage beantworten — nationales "
        "Recht, Texte der EU und des Europarats — jeweils mit Dokument, Artikel, "
        "Rechtsordnung, Fassungsdatum und einem Link zur Quelle.\n"
        "<b>Was ich nicht tue:</b> Dies sind rechtliche Informationen, keine Rechtsberatung. "
        "Ich beurteile keine Einzelfälle und bin kein Notdienst. Im Notfall rufen Sie 112 an.\n"
        "\n🔒 <b>Datenschutz:</b> Teilen Sie niemals Namen oder andere identifizierende Angaben "
        "von Opfern. Ich speichere Ihre Fragen nicht; siehe /privacy.\n"
        "\n<b>Probieren Sie zum Beispiel:</b>\n• Wie lange dauert die Bedenkzeit in "
        "Luxemburg?\n• Welchen Aufenthaltstitel kann ein Opfer in den Niederlanden erhalten?\n"
        "• Wer kann ein Opfer in Belgien an ein spezialisiertes Zentrum vermitteln?\n"
        "\nMehr: /help"
    ),
    "help": (
        "<b>So stellen Sie eine Frage</b>\nIm privaten Chat schreiben Sie einfach Ihre Frage. "
        "In einer Gruppe schreiben Sie <code>/ask Ihre Frage</code>, erwähnen mich oder "
        "antworten auf eine meiner Nachrichten.\n\n<b>Befehle</b>\n"
        "/country BE|NL|LU|all — Antworten für ein Land (oder alle)\n"
        "/lang nl|fr|de|en — Sprache der Antworten\n"
        "/sources — die Dokumente, die ich zitiere, mit Fassungsdatum\n"
        "/privacy — was gespeichert wird und wie lange\n"
        "/forget — alles löschen, was über Sie gespeichert ist\n"
        "\nUnter jeder Antwort: 📄 der vollständige Text einer Bestimmung, 🌍 dieselbe Frage für "
        "Belgien, die Niederlande und Luxemburg, 👍/👎 Rückmeldung."
    ),
    "privacy": (
        "🔒 <b>Datenschutz</b>\n• <b>Gespeichert</b> (in der Datendatei des Bots): die "
        "Einstellungen eines Chats (/country, /lang) und Ihre Rückmeldungen: welche "
        "Bestimmungen bewertet wurden, 👍 oder 👎, und ein kurzer Fingerabdruck (Hash) der Frage "
        "— nie ihr Text.\n• <b>Nur im Arbeitsspeicher</b>: der Text Ihrer letzten Fragen, "
        "damit die Schaltflächen unter einer Antwort funktionieren — höchstens eine Stunde und "
        "höchstens die letzten 1.000 Fragen aller Nutzer, nie auf der Festplatte. Danach "
        "bittet eine Schaltfläche Sie, die Frage erneut zu stellen.\n"
        "• <b>Nie</b>: Ihre Nachrichten werden weder protokolliert noch gespeichert. Die "
        "Protokolle enthalten nur technische Daten (Update-Nummer, Chat-Art, Zeiten, "
        "Ergebnis).\n• <b>Sprachmodell</b>: nur wenn der Betreiber geschriebene Antworten "
        "aktiviert hat, gehen Ihre Frage und die zitierten Bestimmungen an das eingestellte "
        "Modell, um die kurze Antwort zu schreiben.\n"
        "• Telegram selbst speichert den Chatverlauf.\n"
        "\n/forget löscht alles, was über Sie gespeichert ist. Teilen Sie nie identifizierende "
        "Angaben von Opfern."
    ),
    "forgotten": "🗑 Erledigt: Ihre Einstellungen und Rückmeldungen sind gelöscht.",
    "country_set": (
        "✅ Ich antworte für <b>{country}</b> (mit den Regeln der EU und des Europarats)."
    ),
    "country_all": "✅ Ich antworte für Belgien, die Niederlande und Luxemburg.",
    "country_usage": (
        "Aktuelle Einstellung: <b>{current}</b>.\nVerwenden Sie <code>/country BE</code>, "
        "<code>NL</code>, <code>LU</code> oder <code>all</code>."
    ),
    "lang_set": "✅ Ich antworte auf Deutsch.",
    "lang_usage": (
        "Aktuelle Einstellung: <b>{current}</b>.\nVerwenden Sie <code>/lang nl</code>, "
        "<code>fr</code>, <code>de</code>, <code>en</code> oder <code>auto</code> (die Sprache "
        "der jeweiligen Frage)."
    ),
    "lang_auto": "✅ Ich antworte in der Sprache der jeweiligen Frage.",
    "all_countries": "alle (BE, NL, LU)",
    "auto": "automatisch",
    "unavailable": (
        "⏳ Die Wissensdatenbank ist vorübergehend nicht verfügbar. Bitte versuchen Sie es in "
        "einigen Minuten erneut."
    ),
    "error": "⚠️ Entschuldigung, bei mir ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",
    "rate_limited": (
        "🙂 Das waren viele Fragen in kurzer Zeit. Bitte warten Sie etwa {seconds} Sekunden und "
        "fragen Sie dann erneut."
    ),
    "not_allowed": (
        "🔒 Entschuldigung, dieser Assistent steht nur registrierten Organisationen zur "
        "Verfügung. Bitte wenden Sie sich an die Person, die Ihnen den Link gegeben hat."
    ),
    "admin_only": "Dieser Befehl ist nur für Administratoren.",
    "unsupported": "🙂 Ich kann nur Text lesen. Bitte schreiben Sie Ihre Frage als Nachricht.",
    "empty": (
        "🙂 Bitte schreiben Sie eine Frage, zum Beispiel: Wie lange dauert die Bedenkzeit in "
        "Luxemburg?"
    ),
    "ask_usage": (
        "🙂 Schreiben Sie Ihre Frage nach dem Befehl, zum Beispiel: <code>/ask Wie lange dauert "
        "die Bedenkzeit in Luxemburg?</code>"
    ),
    "too_long": (
        "✂️ Ihre Frage ist zu lang ({length} Zeichen; höchstens {limit}). Bitte stellen Sie "
        "sie in ein oder zwei Sätzen."
    ),
    "question_invalid": (
        "🙂 Ich konnte das nicht als Frage lesen. Bitte formulieren Sie sie in ein oder zwei "
        "Sätzen."
    ),
    "unknown_command": "Diesen Befehl kenne ich nicht. Siehe /help.",
    "expired": (
        "⌛ Diese Frage habe ich nicht mehr (Fragen werden nur eine Stunde aufbewahrt). Bitte "
        "stellen Sie sie erneut."
    ),
    "clause_gone": (
        "Diese Bestimmung ist nicht mehr in der Wissensdatenbank. Bitte fragen Sie erneut."
    ),
    "thanks_up": "Danke für Ihre Rückmeldung! 👍",
    "thanks_down": "Danke — das hilft uns, die Quellen zu verbessern. 👎",
    "personal_data": (
        "🔒 Ihre Frage scheint personenbezogene Daten zu enthalten (einen Namen mit "
        "Geburtsdatum, eine Telefonnummer, eine E-Mail-Adresse oder eine Ausweisnummer). Bitte "
        "teilen Sie hier keine identifizierenden Angaben von Opfern."
    ),
    "source": "Quelle",
    "version": "Fassung",
    "continued": "(Fortsetzung)",
    "btn_full": "Volltext",
    "btn_compare": "🌍 Vergleichen BE · NL · LU",
    "btn_up": "👍 Hilfreich",
    "btn_down": "👎 Nicht hilfreich",
    "compare_title": "🌍 <b>Dieselbe Frage in Belgien, den Niederlanden und Luxemburg</b>",
    "compare_none": "Nichts in den Regeln für dieses Land gefunden.",
    "sources_title": "📚 <b>Dokumente, die ich zitiere</b>",
    "sources_none": "Es sind noch keine Dokumente indexiert.",
    "reload_done": "🔄 Index neu geöffnet: {count} Dokumente.",
    "reload_failed": "❌ Der Index konnte nicht neu geöffnet werden: {reason}",
    "stats": (
        "📊 <b>Statistik</b> (nur Zahlen)\nBeantwortete Fragen: {questions}\n"
        "• mit zitierten Bestimmungen: {grounded}\n"
        "• nichts gefunden: {not_grounded}\nRückmeldungen: 👍 {up} · 👎 {down}\n"
        "Chats mit Einstellungen: {chats}"
    ),
}

COMMANDS: dict[str, str] = {
    "ask": "Eine Frage stellen",
    "country": "Antworten für BE, NL, LU oder alle",
    "lang": "Sprache der Antworten",
    "sources": "Dokumente und Fassungsdaten",
    "help": "So nutzen Sie den Assistenten",
    "privacy": "Was gespeichert wird",
    "forget": "Meine Daten löschen",
}
"""Descriptions of the commands in Telegram's menu."""
