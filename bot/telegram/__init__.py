"""The Telegram front end of the assistant.

python-telegram-bot handlers route questions to the AnsweringService and render its
answers as cited, escaped Telegram HTML. Entry points: ``bot.telegram.app.build_application``
and ``bot.telegram.app.run``; ``devtools.telegram_bench.bench_telegram`` measures the bot
through the fake Bot API server.
"""
