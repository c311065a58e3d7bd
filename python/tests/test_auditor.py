"""The Python API: findings, settings, errors, batches and the GIL."""

import json
import subprocess
import threading
import time

import pytest

from conftest import REPO_ROOT
from overclaim import Auditor

OVERCLAIM = "<h1>Exosome Serum</h1><p>Cures eczema and erases wrinkles overnight.</p>"
HONEST = "<p>A lightweight moisturiser. Apply to clean skin morning and evening.</p>"


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor()


def test_an_overclaim_is_found(auditor):
    findings = auditor.audit_text("<p>Cures eczema</p>")
    assert [f["rule"] for f in findings] == ["drug-claim.disease-treatment"]
    finding = findings[0]
    assert finding["path"] == "<text>"
    assert finding["severity"] == "error"
    assert finding["text"] == "Cures eczema"
    assert finding["span"]["start"] == len("<p>")


def test_honest_copy_has_no_findings(auditor):
    assert auditor.audit_text(HONEST) == []


def test_findings_are_those_of_the_json_report(auditor, overclaim_bin, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(OVERCLAIM, encoding="utf-8")
    report = subprocess.run(
        [str(overclaim_bin), "audit", str(page), "--format", "json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert report.returncode == 1, report.stderr
    assert auditor.audit_text(OVERCLAIM, name=str(page)) == json.loads(report.stdout)["findings"]


def test_formats(auditor):
    assert auditor.audit_text("# Serum\n\nCures eczema.", format="markdown")[0]["rule"] == "drug-claim.disease-treatment"
    assert auditor.audit_text("Cures eczema.", format="text")[0]["span"]["start"] == 0
    with pytest.raises(ValueError, match="unknown format"):
        auditor.audit_text("Cures eczema.", format="docx")


def test_a_batch_gives_what_each_text_gives(auditor):
    texts = [OVERCLAIM, HONEST, "<p>Clinically proven. No side effects.</p>", ""] * 5
    names = [f"page-{i}.html" for i in range(len(texts))]
    assert auditor.audit_batch(texts, names=names) == [
        auditor.audit_text(text, name=name) for text, name in zip(texts, names)
    ]
    assert auditor.audit_batch(iter(texts)) == [auditor.audit_text(text) for text in texts]
    assert auditor.audit_batch([]) == []


def test_a_batch_takes_texts_not_a_text(auditor):
    with pytest.raises(TypeError, match="not a str"):
        auditor.audit_batch(OVERCLAIM)
    with pytest.raises(TypeError, match=r"texts\[1\] is NoneType"):
        auditor.audit_batch([OVERCLAIM, None])
    with pytest.raises(ValueError, match="2 texts but 1 names"):
        auditor.audit_batch([OVERCLAIM, HONEST], names=["a"])


def test_jurisdictions_are_honoured():
    eu = Auditor(jurisdictions=["EU"])
    assert eu.jurisdictions == ["EU"]
    findings = eu.audit_text(OVERCLAIM)
    assert findings
    for finding in findings:
        assert finding["jurisdictions"] == ["EU"]
        assert list(finding["severities"]) == ["EU"]
    assert Auditor(jurisdictions=["GB", "US"]).jurisdictions == ["US", "UK"]


def test_bad_settings_raise_value_error():
    with pytest.raises(ValueError, match="unknown jurisdiction `XX`"):
        Auditor(jurisdictions=["XX"])
    with pytest.raises(ValueError, match="unknown product"):
        Auditor(product="food")
    with pytest.raises(ValueError, match="unknown rule"):
        Auditor(select=["no-such-rule"])
    with pytest.raises(ValueError, match="cannot read config"):
        Auditor(config="/no/such/overclaim.yaml")


def test_a_config_and_the_settings_that_beat_it(tmp_path):
    config = tmp_path / ".overclaim.yaml"
    config.write_text("jurisdictions: [UK]\ndisable: [drug-claim.disease-treatment]\n", encoding="utf-8")
    configured = Auditor(config=config)
    assert configured.jurisdictions == ["UK"]
    assert "drug-claim.disease-treatment" not in {f["rule"] for f in configured.audit_text(OVERCLAIM)}
    assert Auditor(config=config, jurisdictions=["EU"]).jurisdictions == ["EU"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("jurisdictions: [UK\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.yaml"):
        Auditor(config=broken)


def test_select_and_ignore():
    only = Auditor(select=["drug-claim."])
    assert {f["category"] for f in only.audit_text(OVERCLAIM)} == {"drug-claim"}
    rules = {f["rule"] for f in Auditor(ignore=["drug-claim."]).audit_text(OVERCLAIM)}
    assert rules and not any(rule.startswith("drug-claim.") for rule in rules)


def test_a_batch_releases_the_gil(auditor):
    """Another Python thread runs while the batch is audited."""
    ticks: list[float] = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    texts = [OVERCLAIM] * 500
    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        # Long enough that ticks in the middle of the call cannot be ones from before or after.
        while True:
            start = time.perf_counter()
            auditor.audit_batch(texts)
            end = time.perf_counter()
            if end - start > 0.3:
                break
            texts *= 2
    finally:
        done.set()
        ticker.join()
    assert any(start + 0.1 < t < end - 0.1 for t in ticks)
