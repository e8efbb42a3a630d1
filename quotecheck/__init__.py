"""quotecheck: who said what in news text, and did they do what they said?

    >>> import quotecheck
    >>> analysis = quotecheck.analyze(text)          # quotes, speakers, statements, findings
    >>> quotecheck.compare(statement, report)        # intentions in one text vs actions in another
    >>> quotecheck.promises(analyses, findings=cross)  # every commitment per actor, kept, broken or overdue

Importing quotecheck loads no model and no torch; the encoder loads on first use.
"""

from quotecheck._api import analyze, compare, extract_quotes, get_checker
from quotecheck.checker import Checker
from quotecheck.config import Config
from quotecheck.errors import CaseError, IndexStoreError, InputError, ModelError, QuotecheckError
from quotecheck.index import CorpusIndex
from quotecheck.models import Analysis, Comparison, Entity, Evidence, Finding, Quote, Span, Statement
from quotecheck.tracker import PromiseReport, promises

__version__ = "0.1.0"

__all__ = [
    "analyze",
    "compare",
    "extract_quotes",
    "promises",
    "get_checker",
    "Checker",
    "Config",
    "CorpusIndex",
    "Analysis",
    "Comparison",
    "Entity",
    "Evidence",
    "Finding",
    "Quote",
    "Span",
    "Statement",
    "PromiseReport",
    "QuotecheckError",
    "InputError",
    "ModelError",
    "IndexStoreError",
    "CaseError",
    "__version__",
]
