import pytest

from pipelines.warehouse.actor_codes import ActorParts, split_actor


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ("NER", ActorParts("NER", None, ())),
        ("NERMIL", ActorParts("NER", None, ("MIL",))),
        ("USAGOVPTY", ActorParts("USA", None, ("GOV", "PTY"))),
        ("USAPRI", ActorParts("USAPRI", None, ())),  # a dependency's 6-letter code
        ("USAPRIGOV", ActorParts("USAPRI", None, ("GOV",))),
        ("IGOUNO", ActorParts(None, "UNO", ("IGO",))),
        ("IGOEUREEC", ActorParts(None, "EUREEC", ("IGO",))),
        ("NGOAMN", ActorParts(None, "AMN", ("NGO",))),
        ("GOV", ActorParts(None, None, ("GOV",))),  # a role the coder could not place
        ("NGAMUSCOP", ActorParts("NGA", "MUS", ("COP",))),
        ("XYZ", ActorParts(None, "XYZ", ())),
    ],
)
def test_split_actor(code, parts):
    assert split_actor(code) == parts
