from screens.cache import MAX_ENTRIES, Memo


def test_memo_reuses_values_within_their_lifetime_and_recomputes_after():
    calls = []
    memo = Memo(lifetime=60)
    assert memo.get("k", lambda: calls.append(1) or len(calls)) == 1
    assert memo.get("k", lambda: calls.append(1) or len(calls)) == 1
    expired = Memo(lifetime=0)
    expired.get("k", lambda: calls.append(1))
    expired.get("k", lambda: calls.append(1))
    assert len(calls) == 3


def test_memo_never_grows_past_its_bound():
    memo = Memo(lifetime=60)
    for key in range(MAX_ENTRIES * 3):
        memo.get(key, lambda: None)
    assert len(memo.values) <= MAX_ENTRIES
