from pipelines.validation.volume import MIN_HISTORY, expected_range, judge

STEADY = [8, 9, 7, 8, 10, 9, 8]


def test_no_judgement_without_enough_history():
    assert expected_range(STEADY[: MIN_HISTORY - 1]) is None
    outcome = judge("articles", 0, STEADY[: MIN_HISTORY - 1])
    assert outcome.success and outcome.evaluated == 0


def test_ordinary_days_pass_and_far_outside_warns():
    expected = expected_range(STEADY)
    assert expected.low == 3 and expected.high == 25
    assert judge("articles", 5, STEADY).success
    for count in (0, 2, 26, 400):
        outcome = judge("articles", count, STEADY, batch="2024-08-21")
        assert not outcome.success
        assert outcome.severity == "WARN" and not outcome.blocks
        (failure,) = outcome.failures
        assert failure.observed == str(count)
        assert "3..25" in failure.expected
