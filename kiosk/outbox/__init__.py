"""What a hall collects for the centre (ratings, questions, play and broadcast logs).

An append-only queue: each entry carries an idempotency key, so the centre stores it
once however often it is sent. Features only enqueue; the sync delivers.
"""
