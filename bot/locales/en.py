"""English texts (see ``bot.locales`` for the conventions)."""

TEXTS: dict[str, str] = {
    "lead": "Here is what the sources say (most relevant first; legal information, not advice):",
    "lead_country": "For {country} (national rules plus EU, Council of Europe and Benelux):",
    "lead_country_follow": (
        "For {country}, following your last question (national rules plus EU, Council of "
        "Europe and Benelux):"
    ),
    "off_topic": (
        "This is outside what I know: I answer questions on the protection of victims of "
        "human trafficking in Belgium, the Netherlands and Luxembourg (residence, "
        "reflection period, assistance, children, compensation …). /help shows examples."
    ),
    "not_covered": (
        "My knowledge base has no rule that answers this question, so I will not guess. "
        "Ask the organisations below; they can answer it."
    ),
    "nearby": (
        "Nearby, I do have rules on: {topics}."
    ),
    "stale": "⚠️ text of {date} — check the current version",
    "checked_on": "checked {date}",
    "text_of": "text of {date}",
    "mark_official": "📜 official text",
    "mark_checked": "✅ checked against the official text",
    "mark_partly": "⚠️ partly unverified",
    "mark_unverified": "⚠️ unverified — check before relying on it",
    "official_text": "📜 Official text: {name}",
    "start": (
        "👋 <b>Hello!</b> I help frontline workers who protect victims of human trafficking in "
        "Belgium, the Netherlands and Luxembourg.\n"
        "\n<b>What I do:</b> I quote the rules that answer your question — national law, EU "
        "and Council of Europe texts — each with document, article, jurisdiction, version date "
        "and a link to the source.\n<b>What I don't do:</b> this is legal information, not "
        "legal advice. I do not assess individual cases, and I am not an emergency service. In "
        "an emergency, call 112.\n\n🔒 <b>Privacy:</b> please never share names or other "
        "identifying details of victims. I do not store your questions; see /privacy.\n"
        "\n<b>Try for example:</b>\n• How long is the reflection period in Luxembourg?\n"
        "• Which residence permit can a victim get in the Netherlands?\n"
        "• Who can refer a victim to a specialised centre in Belgium?\n"
        "\nMore: /help"
    ),
    "help": (
        "<b>How to ask</b>\nIn a private chat, just type your question. In a group, write "
        "<code>/ask your question</code>, mention me or reply to one of my messages.\n"
        "\n<b>Commands</b>\n/country BE|NL|LU|all — answer for one country (or all)\n"
        "/lang nl|fr|de|en — language of the answers\n"
        "/sources — the documents I quote, with version dates\n"
        "/privacy — what is stored, and for how long\n"
        "/forget — delete everything stored about you\n"
        "\nUnder each answer: 📄 the full text of a clause, 🌍 the same question for Belgium, "
        "the Netherlands and Luxembourg, 👍/👎 feedback."
    ),
    "privacy": (
        "🔒 <b>Privacy</b>\n• <b>Stored</b> (in the bot's data file): the preferences of a chat "
        "(/country, /lang) and your feedback: which clauses were rated, 👍 or 👎, and a short "
        "fingerprint (hash) of the question — never its text.\n"
        "• <b>Kept in memory only</b>: the text of your last questions, so that the buttons "
        "under an answer work — at most one hour and at most the last 1,000 questions of all "
        "users, never written to disk. After that a button asks you to ask again.\n"
        "• <b>Never</b>: your messages are not logged and not stored. The logs hold technical "
        "data only (update number, chat type, timings, outcome).\n"
        "• <b>Language model</b>: only if the operator switched on written answers, your "
        "question and the quoted clauses are sent to the configured model to write the short "
        "answer.\n• Telegram itself keeps the chat history.\n"
        "\n/forget deletes everything stored about you. Please never share identifying details "
        "of victims."
    ),
    "forgotten": "🗑 Done: your preferences and feedback are deleted.",
    "country_set": "✅ I will answer for <b>{country}</b> (with EU and Council of Europe rules).",
    "country_all": "✅ I will answer for Belgium, the Netherlands and Luxembourg.",
    "country_usage": (
        "Current setting: <b>{current}</b>.\nUse <code>/country BE</code>, <code>NL</code>, "
        "<code>LU</code> or <code>all</code>."
    ),
    "lang_set": "✅ I will answer in English.",
    "lang_usage": (
        "Current setting: <b>{current}</b>.\nUse <code>/lang nl</code>, <code>fr</code>, "
        "<code>de</code>, <code>en</code> or <code>auto</code> (the language of each question)."
    ),
    "lang_auto": "✅ I will answer in the language of each question.",
    "all_countries": "all (BE, NL, LU)",
    "auto": "automatic",
    "unavailable": (
        "⏳ The knowledge base is temporarily unavailable. Please try again in a few minutes."
    ),
    "error": "⚠️ Sorry, something went wrong on my side. Please try again.",
    "rate_limited": (
        "🙂 That was a lot of questions in a short time. Please wait about {seconds} seconds "
        "and ask again."
    ),
    "not_allowed": (
        "🔒 Sorry, this assistant is only available to registered organisations. Please contact "
        "the person who gave you the link."
    ),
    "admin_only": "This command is for administrators only.",
    "unsupported": "🙂 I can only read text. Please type your question as a message.",
    "empty": (
        "🙂 Please type a question, for example: How long is the reflection period in "
        "Luxembourg?"
    ),
    "ask_usage": (
        "🙂 Write your question after the command, for example: <code>/ask How long is the "
        "reflection period in Luxembourg?</code>"
    ),
    "too_long": (
        "✂️ Your question is too long ({length} characters; at most {limit}). Please ask it in "
        "one or two sentences."
    ),
    "question_invalid": (
        "🙂 I could not read this as a question. Please rephrase it in one or two sentences."
    ),
    "unknown_command": "I don't know this command. See /help.",
    "expired": (
        "⌛ I no longer keep this question (questions are kept for one hour only). Please ask "
        "it again."
    ),
    "clause_gone": "This clause is no longer in the knowledge base. Please ask again.",
    "thanks_up": "Thank you for your feedback! 👍",
    "thanks_down": "Thank you — this helps us improve the sources. 👎",
    "personal_data": (
        "🔒 Your question seems to contain personal data (a name with a date of birth, a phone "
        "number, an e-mail address or a document number). Please don't share identifying "
        "details of victims here."
    ),
    "source": "source",
    "version": "version",
    "continued": "(continued)",
    "btn_full": "Full text",
    "btn_compare": "🌍 Compare BE · NL · LU",
    "btn_up": "👍 Helpful",
    "btn_down": "👎 Not helpful",
    "compare_title": "🌍 <b>The same question in Belgium, the Netherlands and Luxembourg</b>",
    "compare_none": "Nothing found in the rules for this country.",
    "sources_title": "📚 <b>Documents I quote</b>",
    "sources_none": "No documents are indexed yet.",
    "reload_done": "🔄 Index reopened: {count} documents.",
    "reload_failed": "❌ The index could not be reopened: {reason}",
    "stats": (
        "📊 <b>Statistics</b> (counts only)\nQuestions answered: {questions}\n"
        "• with cited clauses: {grounded}\n• nothing found: {not_grounded}\n"
        "Feedback: 👍 {up} · 👎 {down}\nChats with preferences: {chats}"
    ),
}

COMMANDS: dict[str, str] = {
    "ask": "Ask a question",
    "country": "Answer for BE, NL, LU or all",
    "lang": "Language of the answers",
    "sources": "Documents and version dates",
    "help": "How to use the assistant",
    "privacy": "What is stored",
    "forget": "Delete my data",
}
"""Descriptions of the commands in Telegram's menu."""
