"""Audit skincare and cosmetics marketing copy for overclaims.

The engine of the ``overclaim`` command line, in process::

    from overclaim import Auditor

    auditor = Auditor(jurisdictions=["EU", "UK"])
    for finding in auditor.audit_text("<p>Cures eczema overnight.</p>"):
        print(finding["rule"], finding["severity"], finding["text"])

Each finding is a dict with the fields of a finding in ``overclaim audit --format json``.
An :class:`Auditor` compiles its rules once when built: build one per process, worker or
Spark partition and reuse it. :meth:`Auditor.audit_batch` audits many texts on all cores
with the GIL released.
"""

from ._overclaim import Auditor, __version__

__all__ = ["Auditor", "__version__"]
