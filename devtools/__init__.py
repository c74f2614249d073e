"""Development tools beside the product package: evaluation, benchmarks, the fake Bot API.

Nothing in ``bot`` depends on them; ``python -m bot eval|bench`` hands over to
``devtools.cli`` when run from a checkout.
"""
