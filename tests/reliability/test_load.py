from reliability.load import Stats, percentile, report


def test_percentiles_of_a_known_sample():
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile(values, 0.5) == 0.051
    assert percentile(values, 0.99) == 0.1
    assert percentile([], 0.5) == 0.0


def test_server_errors_and_unexpected_client_errors_count_as_errors_but_sold_out_does_not():
    stats = Stats()
    stats.record("checkout", write=True, status=409, seconds=0.1, body="sold out")
    stats.record("checkout", write=True, status=500, seconds=0.1, body="boom")
    stats.record("note", write=False, status=400, seconds=0.1, body="bad")
    stats.record("view", write=False, status=202, seconds=0.1, body="")
    assert stats.errors == {"checkout": 1, "note": 1}
    assert (stats.reads, stats.writes) == (1, 2)  # the view beacon is neither
    assert "error rate 50.0000%" in report(stats, elapsed=1.0)
