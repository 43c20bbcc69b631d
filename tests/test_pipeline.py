"""The pipeline: stages by name, in order, swappable, streaming."""

from __future__ import annotations

import pytest

from newsevents.errors import SettingsError, StageOrderError
from newsevents.model import Article, Document
from newsevents.pipeline import STAGE_FACTORIES, Pipeline, register_stage
from newsevents.settings import STAGES, Settings


def test_stages_run_in_order_and_can_be_swapped():
    seen = []

    def fake(name):
        def stage(doc: Document) -> Document:
            seen.append((name, doc.article.id))
            return doc
        return stage

    p = Pipeline(stages=[("a", fake("a")), ("b", fake("b"))])
    docs = list(p.pipe(Article(id=str(i), body="x") for i in range(2)))
    assert [d.stages for d in docs] == [["a", "b"], ["a", "b"]]
    assert sorted(seen) == [("a", "0"), ("a", "1"), ("b", "0"), ("b", "1")]


def test_parse_stage_fills_sentences_and_drops_the_parse():
    p = Pipeline(Settings(stages=("parse",)))
    doc = p(Article(id="1", body="Russia met Ukraine. They talked.\n\nNATO waited"))
    assert [s.text for s in doc.sentences] == ["Russia met Ukraine.", "They talked.", "NATO waited"]
    assert doc.parse is None and doc.stages == ["parse"]


def test_closing_quote_keeps_its_attribution(sample_doc):
    texts = [s.text for s in sample_doc.sentences]
    assert any(t.endswith('in the coming days", - he said.') for t in texts)
    assert not any(t.startswith(("- he", ", - he")) for t in texts)


def test_possessives_split_by_pre_tokenized_text_parse_as_possessives():
    from newsevents.nlp import load

    nlp = load()
    doc = nlp("Chile ’ s foreign minister condemned Peru ' s decision .")
    assert [t.text for t in doc][:2] == ["Chile", "’ s"] and doc.text == "Chile ’ s foreign minister condemned Peru ' s decision ."
    assert [(t.text, t.tag_, t.head.text) for t in doc if t.text in ("’ s", "' s")] == [
        ("’ s", "POS", "Chile"), ("' s", "POS", "Peru")]
    assert doc[4].dep_ == "ROOT" and doc[4].text == "condemned"
    # spaCy's own tokens are untouched: a contraction, and a quote closing after a name
    assert [t.text for t in nlp("Iran's army said it's 'ready' s")] == ["Iran", "'s", "army", "said", "it", "'s", "'",
                                                                       "ready", "'", "s"]


def test_unknown_stage_is_refused_with_the_valid_names():
    with pytest.raises(SettingsError, match="valid: " + ", ".join(STAGES)):
        Settings(stages=("parse", "magic"))


@pytest.mark.parametrize("stages, message", [
    (("parse", "quotes"), "stage 'quotes' requires 'actors' \\(assigned by 'actors', not among the stages\\)"),
    (("parse", "events", "actors"), "stage 'events' requires 'actors' \\(assigned by 'actors', which runs after it\\)"),
    (("actors", "parse"), "stage 'actors' requires 'parse'"),
    (("parse", "actors", "places", "events"), "stage 'places' fills 'events.location', but 'events' is made later"),
    (("parse", "actors", "events", "quotes"), "stage 'events' fills 'quotes.events', but 'quotes' is made later"),
    (("parse", "tone", "parse"), "named more than once"),
])
def test_stage_order_is_checked_before_any_model_loads(stages, message, monkeypatch):
    from newsevents import nlp

    monkeypatch.setattr(nlp, "load", lambda *a: pytest.fail("a model loaded before the order was checked"))
    with pytest.raises(StageOrderError, match=message):
        Pipeline(Settings(stages=stages))


def test_every_built_in_stage_finds_what_it_requires_in_the_default_order():
    from newsevents.stages import check_order, declared

    check_order([(n, *declared(n)) for n in STAGES])
    # and each declares something it assigns, read by name off the stage class
    assert all(declared(n)[1] for n in STAGES)


def test_a_registered_stage_runs_where_the_settings_name_it(monkeypatch):
    from newsevents import stages

    # the registration is undone after the test
    monkeypatch.setitem(STAGE_FACTORIES, "shout", None)
    monkeypatch.setattr(stages, "_DECLARED", dict(stages._DECLARED))

    class Shout:
        """Tags the article with its sentences, upper-cased: reads the sentences, adds a tag."""

        def __init__(self, settings):
            self.settings = settings

        def __call__(self, doc: Document) -> Document:
            doc.article.tags.append(" ".join(s.text.upper() for s in doc.sentences))
            return doc

    register_stage("shout", Shout, requires=("sentences",), assigns=("article.tags",))
    p = Pipeline(Settings(stages=("parse", "shout")))
    doc = p(Article(id="1", body="Russia met Ukraine. They talked."))
    assert doc.stages == ["parse", "shout"] and doc.article.tags == ["RUSSIA MET UKRAINE. THEY TALKED."]
    with pytest.raises(StageOrderError, match="stage 'shout' requires 'sentences' \\(assigned by 'parse'"):
        Pipeline(Settings(stages=("shout",)))


def test_stages_given_as_objects_are_checked_too():
    class NeedsActors:
        requires = ("actors",)

        def __call__(self, doc):
            return doc

    with pytest.raises(StageOrderError, match="stage 'x' requires 'actors'"):
        Pipeline(stages=[("x", NeedsActors())])


def test_the_parse_and_its_analysis_go_unless_kept():
    body = "NATO met Russia."
    kept = Pipeline(Settings(stages=("parse", "actors")), keep_parse=True)(Article(id="1", body=body))
    assert kept.analysis["actors"].parse is kept.parse
    dropped = Pipeline(Settings(stages=("parse", "actors")))(Article(id="1", body=body))
    assert dropped.parse is None and dropped.analysis == {}
    assert "analysis" not in dropped.to_dict() and dropped.to_dict() == kept.to_dict()


# --- articles in other languages: kept, not coded -----------------------------------------------

RUSSIAN = ("Россия обвинила Украину в обстреле деревень в Донбассе во вторник. "
           "Министры иностранных дел НАТО встретились в Брюсселе, чтобы обсудить безопасность.")


def test_english_stages_skip_another_language_and_say_why():
    english = Article(id="en", body="Russia accused Ukraine of shelling villages in the Donbas on Tuesday.",
                      language="en")
    russian = Article(id="ru", body=RUSSIAN, language="ru", language_probability=0.99)
    en, ru = Pipeline().pipe([english, russian])  # a batch of both: the parse stage batches
    assert en.events and not en.stages_skipped
    assert ru.stages == ["places"] and not (ru.sentences or ru.actors or ru.quotes or ru.events)
    assert set(ru.stages_skipped) == {"parse", "actors", "quotes", "events", "dates", "tone"}
    assert "'ru'" in ru.stages_skipped["parse"]
    assert any("not coded" in w and "'ru'" in w for w in ru.article.warnings)
    assert [loc.country for loc in ru.locations] == ["RUS", "UKR"]


def test_skipped_articles_keep_their_place_in_a_batch():
    articles = [Article(id=f"a{i}", body=RUSSIAN if i % 2 else f"Russia accused Ukraine of shelling village {i}.",
                        language="ru" if i % 2 else "en") for i in range(7)]
    docs = list(Pipeline(Settings(batch_size=2)).pipe(articles))
    assert [d.article.id for d in docs] == [a.id for a in articles]
    assert [bool(d.stages_skipped) for d in docs] == [bool(i % 2) for i in range(7)]


def test_languages_setting_decides_which_languages_are_coded():
    french = Article(id="fr", body="La Russie a accusé l'Ukraine de bombarder des villages.", language="fr")
    doc = Pipeline(Settings(languages=("en", "fr"))).pipe([french])
    assert not next(doc).stages_skipped
