"""Command line: `rasad extract`, `rasad eval`."""

from __future__ import annotations

import datetime as dt
import functools
import json
import multiprocessing as mp
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from rasad import __version__
from rasad.document import Source
from rasad.lang.lexicon import read_rows
from rasad.pipeline.read import IngestError, SeenIds, count_sources, iter_sources, parse_published

# a governorate as Arabic text writes it, for `rasad gazetteer lookup --help`: read from admin1.tsv, since
# importing rasad.lang.patterns (every regex compiled) would double the start-up time of every command
_EXAMPLE_GOVERNORATE = next(r[1] for r in read_rows("admin1.tsv", 3) if r[0] == "Ar-Raqqa")
_GEOCODER: Any = None  # set once per process before extraction (inherited by forked workers)


def _setup_geocoder(gazetteer: str | None, geocode: bool) -> None:
    global _GEOCODER
    if not geocode:
        _GEOCODER = None
        return
    from rasad.gazetteer import GazetteerError, open_gazetteer
    from rasad.pipeline.geocode import Geocoder

    try:
        _GEOCODER = Geocoder(open_gazetteer(gazetteer))
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc


def _unread(src: Source, warning: str, **extra: str) -> dict[str, Any]:
    """The record of a document that yields nothing, saying why."""
    return {"doc": src.doc, "url": src.url, "source": src.source, "title": src.title,
            "published": src.published.isoformat() if src.published else None, "events": [], "statistics": [],
            "warnings": [warning], **extra}


def _extract_one(src: Source, render: Any = None) -> Any:
    """A document's record, or, given `render` (`write.Render`), what the output needs of it, rendered where
    it was extracted: a pool worker sends back a string, not the record's dictionaries."""
    rec = extract_record(src, _GEOCODER)
    return rec if render is None else render(rec)


def extract_record(src: Source, geocoder: Any) -> dict[str, Any]:
    """The record of one document as `rasad extract` writes it, also when it cannot be read (a Dask worker's too)."""
    from rasad.pipeline.run import DocumentTooLarge, extract

    try:
        return extract(src, geocoder)
    except DocumentTooLarge as exc:
        return _unread(src, str(exc), skipped=str(exc), at=src.where)
    except Exception as exc:  # keep the batch going, but say so loudly
        return _unread(src, f"internal error, please report: {exc.__class__.__name__}: {exc}",
                       error=traceback.format_exc(limit=3), at=src.where)


def _published(published: str | None) -> dt.date | None:
    if not published:
        return None
    pub = parse_published(published)
    if pub is None:
        raise click.BadParameter(f"{published!r} is not a date; use YYYY-MM-DD", param_hint="--published")
    from rasad.pipeline.run import EARLIEST_REPORT_DATE, plausible_report_date

    if not plausible_report_date(pub):
        raise click.BadParameter(f"{pub.isoformat()} is out of range: a report date lies between "
                                 f"{EARLIEST_REPORT_DATE.isoformat()} and the day after today", param_hint="--published")
    return pub


def run_extraction(paths: list[str], published: str | None, jobs: int, progress: bool | None,
                   errors: list[IngestError], dask: str | None = None,
                   partition_size: int = 0, render: Any = None) -> Iterator[Any]:
    """The records of PATHS in input order; with `render` (`write.Render`), each as `write.Rendered`."""
    pub = _published(published)
    if dask is not None:
        from rasad.distributed import PARTITION_SIZE, extract_records

        show = sys.stderr.isatty() if progress is None else progress
        yield from extract_records(paths, pub, _GEOCODER, dask, jobs if jobs > 1 else None,
                                   partition_size or PARTITION_SIZE, show, errors, wrap=_announced, render=render)
        return
    sources = _announced(iter_sources(paths, published=pub, on_error=errors.append))
    show = sys.stderr.isatty() if progress is None else progress
    total = count_sources(paths) if show else None
    if jobs > 1:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        pool = ctx.Pool(jobs)
        results: Iterator[Any] = pool.imap(functools.partial(_extract_one, render=render), sources, chunksize=16)
    else:
        pool = None
        results = (_extract_one(src, render) for src in sources)
    if show:
        from tqdm import tqdm

        results = iter(tqdm(results, total=total, unit="doc", desc="extract", file=sys.stderr, mininterval=0.5))
    try:
        yield from results
    finally:
        if pool is not None:
            pool.terminate()


def _dask_options(f: Any) -> Any:
    f = click.option("--partition-size", type=click.IntRange(1, 100_000), default=100, show_default=True,
                     help="With --dask: records (or files of a folder) per task.")(f)
    return click.option(
        "--dask", "dask", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
        help="Extract on a Dask cluster (pip install 'rasad[dask]'): alone, a local cluster on this machine "
             "(put --dask after the inputs, or write --dask local); with a scheduler's address "
             "(tcp://host:8786), its workers. The output is the same as without it, in the same order.")(f)


def _check_dask(dask: str | None, paths: tuple[str, ...]) -> None:
    """`--dask INPUT` took an input for the scheduler's address: say so rather than fail to connect."""
    if dask is None or dask == "local" or "://" in dask:
        return
    if Path(dask).exists() or not any(c == ":" for c in dask):
        raise click.UsageError(f"--dask took {dask!r} as the scheduler's address: put --dask after the inputs, "
                               "or give an address (tcp://host:8786) or 'local'")


def _announced(sources: Iterator[Source]) -> Iterator[Source]:
    """The sources, saying on stderr what reading doubted: a published that is no date, an id that came before
    with another text."""
    ids = SeenIds()
    for src in sources:
        for w in [*src.warnings, ids.check(src)]:
            if w:
                click.echo(f"rasad: warning: {w}", err=True)
        yield src


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rasad")
def main() -> None:
    """rasad: conflict events from Arabic news, with the evidence for every field."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for texts that carry none.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table", "csv"]), default="jsonl",
              show_default=True, help="jsonl: one document a line (the scorer's format); csv: one event a row.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; with --dask and no address, the local cluster's workers (1: one per core).")
@_dask_options
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
@click.option("--events-only", is_flag=True, help="Leave out documents that yield no event and no statistic.")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER",
              help="Gazetteer database, or a file to import (GeoNames SY.txt, OCHA CSV/XLSX, places.csv); "
                   "default: $RASAD_GAZETTEER, else the built-in one.")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
@click.option("--explain", is_flag=True,
              help="Explain one document instead of writing records: for every clause holding a word of violence, "
                   "KEPT / DROPPED / STATISTIC / BLOCKED with the rule and its reason, the actors (attacker / victim), "
                   "places, date and figures seen, where each figure went, and which incident each kept clause "
                   "joined or started, and why.")
@click.option("--doc", "doc_id", metavar="ID", help="With --explain: the record of a JSONL/JSON batch to explain.")
def extract(paths: tuple[str, ...], published: str | None, fmt: str, output: str | None, jobs: int,
            dask: str | None, partition_size: int, progress: bool | None, events_only: bool, gazetteer: str | None,
            geocode: bool, explain: bool, doc_id: str | None) -> None:
    """Extract events from PATHS: .txt, .html, .jsonl(.gz), .json files, folders, or - for stdin.

    \b
    Examples:
      rasad extract examples --format table
      rasad extract article.txt --published 2021-12-03
      rasad extract ../shared/corpus/ant/articles.jsonl.gz -o events.jsonl --jobs 2
      rasad extract ../shared/corpus/ant/articles.jsonl.gz -o events.jsonl --dask
      rasad extract reports/ -o events.jsonl --dask tcp://scheduler:8786
      rasad extract article.txt --explain
      rasad extract ../shared/corpus/dev/articles.jsonl --explain --doc ID
      echo "..." | rasad extract - --explain --published 2024-03-04
    """
    from rasad.pipeline.write import Render, Writer, table_width

    _published(published)  # a mistyped date fails before anything is written
    _check_dask(dask, paths)
    _setup_geocoder(gazetteer, geocode)
    if explain or doc_id:
        if dask is not None:
            raise click.UsageError("--explain reads one document in this process: leave out --dask")
        if not explain:
            raise click.UsageError("--doc picks the document to explain: use it with --explain")
        text = _explain(list(paths), published, doc_id)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    errors: list[IngestError] = []
    # -o FILE is written to a temporary file beside it and renamed at the end: a failed run never
    # leaves a half-written file or destroys the previous results
    tmp = None
    if output:
        target = Path(output)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    out = open(tmp, "w", encoding="utf-8") if tmp else sys.stdout  # noqa: SIM115
    failed: list[str] = []  # where each document is that the extractor failed on or refused
    n_docs = n_events = 0
    done = False
    try:
        writer = Writer(fmt, out)
        render = Render(fmt, events_only, table_width() if fmt == "table" else None)
        for r in _dask_errors(run_extraction(list(paths), published, jobs, progress, errors, dask, partition_size,
                                             render)):
            n_docs += 1
            n_events += r.events
            if r.skipped is not None:
                failed.append(r.at)
                click.echo(f"rasad: skipped: {r.at}: {r.skipped}", err=True)
            if r.error is not None:
                failed.append(r.at)
                click.echo(f"rasad: internal error on {r.at} (record {r.doc!r}): {r.error}", err=True)
            if r.text is not None:
                writer.write_rendered(r.text)
        writer.close()
        done = True
    finally:
        if tmp:
            out.close()
            if done and n_docs:
                os.replace(tmp, output)  # type: ignore[arg-type]
            else:
                tmp.unlink(missing_ok=True)
    _report_errors(errors)
    if output or not sys.stdout.isatty():
        click.echo(f"rasad: {n_docs} documents, {n_events} events"
                   + (f", {len(errors)} unreadable" if errors else "") + (f" -> {output}" if output else ""), err=True)
    if n_docs == 0:
        raise click.ClickException("no document could be read from " + ", ".join(paths))
    _exit_failed(failed, "extracted")


def _exit_failed(failed: list[str], done: str) -> None:
    """Exit 3 when some documents failed, naming them (`done`: what became of the rest)."""
    if failed:
        names = "; ".join(failed[:5]) + (f" … ({len(failed) - 5} more)" if len(failed) > 5 else "")
        click.echo(f"rasad: error: {len(failed)} document{'s' if len(failed) > 1 else ''} failed, the rest "
                   f"{done}: {names}", err=True)
        sys.exit(3)


def _dask_errors(records: Iterator[Any]) -> Iterator[Any]:
    """A missing Dask, an unreachable scheduler, a worker with other rules: a clear message, not a traceback."""
    from rasad.distributed import DaskError

    try:
        yield from records
    except DaskError as exc:
        raise click.ClickException(str(exc)) from exc


def _explain(paths: list[str], published: str | None, doc_id: str | None) -> str:
    """The explanation of one document of PATHS (the one named `doc_id` in a batch)."""
    from rasad.pipeline.run import extract as extract_one
    from rasad.pipeline.trace import Trace

    errors: list[IngestError] = []
    chosen: Source | None = None
    seen: list[str] = []
    for src in iter_sources(paths, published=_published(published), on_error=errors.append):
        if doc_id is None or src.doc == doc_id:
            if chosen is not None:
                raise click.UsageError(f"--explain reads one document; the input holds several ({chosen.doc}, "
                                       f"{src.doc} ...): pick one with --doc ID")
            chosen = src
            if doc_id is not None:
                break
        elif len(seen) < 5:
            seen.append(src.doc)
    _report_errors(errors)
    if chosen is None:
        where = ", ".join(paths)
        raise click.ClickException(f"no document {doc_id!r} in {where}" + (f" (it holds {', '.join(seen)} …)" if seen else "")
                                   if doc_id else f"no document could be read from {where}")
    trace = Trace()
    rec = extract_one(chosen, _GEOCODER, trace)
    return trace.render(rec)


def _report_errors(errors: list[IngestError]) -> None:
    if not errors:
        return
    empty = [e for e in errors if "is empty" in str(e)]
    other = [e for e in errors if "is empty" not in str(e)]
    for e in other[:20]:
        click.echo(f"rasad: skipped: {e}", err=True)
    if len(other) > 20:
        click.echo(f"rasad: ... and {len(other) - 20} more unreadable inputs", err=True)
    if empty:
        names = ", ".join(e.doc or Path(e.path).name for e in empty[:5]) + (" …" if len(empty) > 5 else "")
        click.echo(f"rasad: skipped {len(empty)} empty document{'s' if len(empty) > 1 else ''}: {names}", err=True)


@main.command("eval")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), default="../shared/gold/seeds.json",
              show_default=True, help="Reference events (the format of ../shared/gold/seeds.json).")
@click.option("--corpus", type=click.Path(exists=True), default="../shared/corpus/seeds", show_default=True,
              help="The documents the gold file names: a folder of files, or a JSONL(.gz) batch of records.")
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False), default="../shared/eval/score.py",
              show_default=True, help="The official scorer (read at run time, never copied).")
@click.option("--group", "groups", multiple=True, metavar="LABEL=SOURCE,...",
              help="Score these outlets (the records' `source`) together as one corpus; repeatable. "
                   "Without it: one group per outlet when there are several.")
@click.option("--show-misses", is_flag=True, help="List missed gold events and false predictions.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON (overall and per group).")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER",
              help="Gazetteer for geocoding (default: $RASAD_GAZETTEER, else the built-in one).")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
def evaluate(gold: str, corpus: str, scorer: str, groups: tuple[str, ...], show_misses: bool, as_json: bool,
             gazetteer: str | None, geocode: bool) -> None:
    """Extract the documents of a gold set and score them with the official scorer, overall and per corpus.

    \b
    rasad eval                                   the seed articles
    rasad eval --gold ../shared/gold/dev.json --corpus ../shared/corpus/dev/articles.jsonl \\
        --group "ANT=Sky News Arabia,Al Arabiya,France 24 Arabic,BBC Arabic,CNN Arabic" --group "Al Mayadeen=Al Mayadeen"
    """
    from rasad import evaluate as ev

    _setup_geocoder(gazetteer, geocode)
    errors: list[IngestError] = []
    try:
        metrics, reports = ev.evaluate(gold, corpus, scorer, groups,
                                       lambda paths: run_extraction(paths, None, 1, False, errors), show_misses)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _report_errors(errors)
    click.echo(json.dumps(metrics, ensure_ascii=False, indent=1) if as_json else ev.format_reports(metrics, reports),
               nl=as_json)


_DB_OPTION = click.option("--db", metavar="URL", envvar="RASAD_DB", default="rasad.db", show_default=True,
                          help="SQLite file, or postgresql://user@host/dbname ($RASAD_DB).")


def _store(db: str, cache_mb: int | None = None) -> Any:
    from rasad.database.store import Store

    try:
        return Store(db, cache_mb=cache_mb)
    except Exception as exc:  # a wrong URL, a server that is down, a file that is not a database
        raise click.ClickException(f"cannot open the database {db}: {exc}") from exc


def _existing_store(db: str, command: str) -> Any:
    """The store of a command that only reads: a SQLite file that is not there is refused (opening it
    would create an empty database and answer with nothing), naming the databases nearby."""
    from rasad.database.store import db_url

    url = db_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise click.ClickException(_no_database(db, path, command))
    return _store(db)


def _no_database(db: str, path: Path, command: str) -> str:
    where = path.parent if str(path.parent) not in ("", ".") else Path(".")
    nearby = sorted({p.name if where == Path(".") else str(p) for p in where.glob("*.db")} if where.is_dir() else set())
    msg = f"no database at {db} ({path.resolve()}). "
    if nearby:
        shown = ", ".join(nearby[:8]) + (" …" if len(nearby) > 8 else "")
        msg += f"Databases there: {shown}; pick one with --db, e.g. rasad {command} --db {nearby[0]} (or set $RASAD_DB)"
    else:
        msg += f"No .db file in {where.resolve()}: give the database with --db FILE (or $RASAD_DB)"
    return msg + f", or build one: run `rasad ingest PATH --db {db}`"


@main.command("ingest")
@click.argument("paths", nargs=-1)
@_DB_OPTION
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for texts that carry none.")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER", help="Gazetteer (default: built-in).")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("--retry-quarantined", is_flag=True,
              help="Only the records the extractor failed on before (quarantined with an internal error), read again "
                   "from their files (or from PATHS alone).")
@_dask_options
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --dask and no address: the local cluster's workers (1: one per core).")
@click.option("--batch", type=click.IntRange(1, 100_000), default=None,
              help="Documents stored and merged in one transaction [default: 200; with --dask 1000, or what the "
                   "workers gave in 2 s; with --bulk 5000, or 10 s]. Larger batches write faster and hold the "
                   "write lock longer.")
@click.option("--bulk", is_flag=True,
              help="For loading an archive: the explorer's indexes, search index and map rollups are built once, "
                   "when the run ends, not kept in step batch by batch (the same merge decisions, a faster writer). "
                   "Until then the explorer of this database is slow, and its counts, map, review queue and "
                   "search lack the new events.")
@click.option("--finish-bulk", is_flag=True,
              help="Only finish a bulk load that was interrupted (any ingest finishes one when it ends).")
def ingest_cmd(paths: tuple[str, ...], db: str, published: str | None, gazetteer: str | None, geocode: bool,
               progress: bool | None, retry_quarantined: bool, dask: str | None, partition_size: int,
               jobs: int, batch: int | None, bulk: bool, finish_bulk: bool) -> None:
    """Extract PATHS into the database and merge reports of one incident across documents.

    \b
    Idempotent: the same content twice adds nothing; an interrupted run resumes.
    Examples:
      rasad ingest ../shared/corpus/ant/articles.jsonl.gz
      rasad ingest reports/ --db postgresql://rasad@localhost/rasad
      rasad ingest ../shared/corpus/ant/articles.jsonl.gz --dask tcp://scheduler:8786
      rasad ingest --retry-quarantined          (after a fix: the records the extractor failed on)
      rasad ingest archive/ --bulk --dask       (a large archive: indexes and rollups built at the end)
    With --dask, workers extract and this process stores and merges, in input order.

    \b
    Exit codes: 0 every document read was stored (or found stored); 1 nothing could be read;
    3 some documents failed (quarantined and named on stderr; the rest were stored).
    """
    from rasad.database.ingest import ingest

    pub = _published(published)
    _check_dask(dask, paths)
    if retry_quarantined and dask is not None:
        raise click.UsageError("--retry-quarantined reads a few records again in this process: leave out --dask")
    if jobs > 1 and dask is None:
        raise click.UsageError("--jobs sets the workers of a local Dask cluster: add --dask (ingest without it "
                               "runs in one process)")
    from rasad.database.store import INGEST_CACHE_MB

    if finish_bulk:
        if paths or retry_quarantined or bulk or dask is not None:
            raise click.UsageError("--finish-bulk only finishes an interrupted bulk load: give no PATHS, no other "
                                   "mode")
        from rasad.database import bulk as bulk_load

        store = _store(db, cache_mb=INGEST_CACHE_MB)
        done = bulk_load.finish_store(store, say=True)
        click.echo(f"rasad: {'bulk load finished' if done else 'no bulk load was pending'} -> {store.url}", err=True)
        return
    _setup_geocoder(gazetteer, geocode)
    if not paths and not retry_quarantined:
        raise click.UsageError("give the files or folders to ingest (or --retry-quarantined)")
    store = _store(db, cache_mb=INGEST_CACHE_MB)
    show = sys.stderr.isatty() if progress is None else progress
    if retry_quarantined:
        from rasad.database.ingest import failures

        paths = paths or tuple(sorted({path for path, _line in failures(store)}))
        if not paths:
            click.echo(f"rasad: no record the extractor failed on is quarantined in {store.url}", err=True)
            return
    if dask is not None:
        from rasad import distributed

        try:
            res = distributed.ingest(store, list(paths), pub, _GEOCODER, dask, jobs if jobs > 1 else None,
                                     partition_size, show, batch=batch, bulk_load=bulk)
        except distributed.DaskError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        res = ingest(store, list(paths), pub, _GEOCODER, progress=show, retry_only=retry_quarantined, batch=batch,
                     bulk_load=bulk)
    for w in res.warnings[:20]:
        click.echo(f"rasad: warning: {w}", err=True)
    if res.warned > 20:
        click.echo(f"rasad: ... and {res.warned - 20} more warnings", err=True)
    for e in res.errors[:10]:
        click.echo(f"rasad: quarantined: {e}", err=True)
    if len(res.errors) > 10:
        click.echo(f"rasad: ... and {len(res.errors) - 10} more quarantined inputs", err=True)
    click.echo(f"rasad: {res.documents} documents stored, {res.skipped} already there, {res.reports} reports "
               f"({res.new_events} new events, {res.merged} merged into existing ones), {res.out_of_scope} placed outside"
               f" Syria stored out of scope, {res.quarantined} quarantined"
               f" -> {store.url}", err=True)
    if res.documents == 0 and res.skipped == 0 and not res.failed:
        raise click.ClickException("no document could be read from " + ", ".join(paths))
    _exit_failed(res.failed, "stored (a re-run retries them)")


@main.command("reprocess")
@_DB_OPTION
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER", help="Gazetteer (default: built-in).")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@_dask_options
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --dask and no address: the local cluster's workers (1: one per core).")
@click.option("--user", default="reprocess", show_default=True, help="Who the audit trail says moved the decisions.")
@click.option("--json", "as_json", is_flag=True, help="Print the result, with the decisions to review, as JSON.")
def reprocess_cmd(db: str, gazetteer: str | None, geocode: bool, progress: bool | None, dask: str | None,
                  partition_size: int, jobs: int, user: str, as_json: bool) -> None:
    """Extract the stored documents again with the current rules and merge them again, keeping analysts' decisions.

    \b
    A confirmation, correction or rejection follows its event when the new extraction still holds it
    (a report of the same document whose event sentences overlap); the others are listed for review.
    Every report records its provenance (rasad version, lexicon, rules and gazetteer fingerprints).
    One transaction: an interrupted run changes nothing.
    Examples:
      rasad reprocess --db rasad.db
      RASAD_DATA=my-lexicon/ rasad reprocess --db rasad.db --dask
    """
    from rasad.database.reprocess import reprocess
    from rasad.distributed import DaskError

    if dask is not None and "://" not in dask and dask != "local":
        raise click.UsageError(f"--dask takes a scheduler's address (tcp://host:8786) or 'local', not {dask!r}")
    _setup_geocoder(gazetteer, geocode)
    store = _store(db)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        res = reprocess(store, _GEOCODER, dask, jobs if jobs > 1 else None, partition_size, show, user)
    except DaskError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        from dataclasses import asdict

        click.echo(json.dumps(asdict(res), ensure_ascii=False, indent=1))
    else:
        for d in res.gone:
            what = d.status or "corrected"
            fields = f" ({', '.join(d.corrected_fields)})" if d.corrected_fields else ""
            click.echo(f"to review: event {d.old_event}, {what}{fields}, from {', '.join(d.documents)}: {d.reason}")
        for e in res.hand_merges:
            click.echo(f"to review: event {e} was merged or split by hand; the new merge decided again")
    for e in res.errors[:10]:
        click.echo(f"rasad: not re-extracted: {e}", err=True)
    p = res.provenance
    click.echo(f"rasad: {res.documents} documents re-extracted, {res.reports} reports in {res.events} events; "
               f"{len(res.carried)} decisions kept, {len(res.gone)} to review (rasad {p['rasad']}, lexicon {p['lexicon']},"
               f" rules {p['rules']}, gazetteer {p['gazetteer']}) -> {store.url}", err=True)


@main.group()
def events() -> None:
    """Look at merged events and undo merges."""


@events.command("show")
@click.argument("event_id", type=int)
@_DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the event as JSON.")
def events_show(event_id: int, db: str, as_json: bool) -> None:
    """An event with its reports, claims and why each report belongs to it."""
    store = _existing_store(db, "events show")
    ev = store.event(event_id)
    if ev is None:
        raise click.ClickException(f"no event {event_id} in {store.url}")
    if as_json:
        click.echo(json.dumps(ev, ensure_ascii=False, indent=1))
        return
    f = ev.get("fatalities") or {}
    click.echo(f"event {event_id}: {ev.get('date') or 'date unknown'} ({ev.get('date_precision')}) | "
               f"{ev.get('event_type')} / {ev.get('sub_event_type')}")
    click.echo(f"  {ev.get('actor1')} -> {ev.get('actor2')} | {ev.get('location')}, {ev.get('admin1')} "
               f"({ev.get('lat')}, {ev.get('lon')}, precision {ev.get('geo_precision')})")
    click.echo(f"  killed low/best/high {f.get('low')}/{f.get('best')}/{f.get('high')}; sources: {', '.join(ev['sources'])}")
    for c in ev.get("claims") or []:
        click.echo(f"    claim {c['kind']} {c['best'] if c['best'] is not None else '≥' + str(c['low'])} — "
                   f"{c['claimant']} ({c['claimant_type']}) in {c['doc']}" + (" [superseded]" if c["superseded"] else ""))
    for r in ev["reports"]:
        why = r["merge_reason"] or {}
        reason = ("started this event" if why.get("new_event")
                  else f"joined with score {why.get('score')}: " + "; ".join(why.get("reasons", [])))
        fold = why.get("consolidated")
        if fold:
            reason += (f"; its event {fold['from']} was folded into this one with score {fold['score']}: "
                       + "; ".join(fold["reasons"]))
        click.echo(f"  report {r['report_id']} from {r['doc']} ({r['source']}, {r['published']}): {reason}")


@events.command("split")
@click.argument("event_id", type=int)
@click.option("--report", "report_ids", type=int, multiple=True, required=True,
              help="Report(s) to take out into a new event (see `rasad events show`).")
@_DB_OPTION
@click.option("--user", default=lambda: os.environ.get("USER", "analyst"), show_default="$USER",
              help="Who splits (kept in the audit table).")
def events_split(event_id: int, report_ids: tuple[int, ...], db: str, user: str) -> None:
    """Move reports out of an event into a new event of their own; both are recomputed."""
    from rasad.database.review import ReviewError, split

    store = _store(db)
    try:
        new = split(store, event_id, report_ids, user)
    except ReviewError as exc:
        raise click.ClickException(f"{exc} in {store.url}") from exc
    click.echo(f"reports {sorted(report_ids)} moved from event {event_id} to new event {new}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "acled", "ucdp-csv", "geojson", "jsonl"]),
              default="acled-csv", show_default=True,
              help="ACLED's 31 columns (acled: the same), UCDP GED-style columns, GeoJSON, or merged events as JSONL.")
@_DB_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--since", metavar="DATE", help="Events on or after DATE.")
@click.option("--until", metavar="DATE", help="Events on or before DATE.")
@click.option("--admin1", metavar="GOVERNORATE", help="Events in this governorate (any spelling).")
@click.option("--actor", metavar="NAME", help="Events where NAME is actor1 or actor2.")
@click.option("--event-type", metavar="TYPE", help="ACLED event type, e.g. Battles.")
@click.option("--min-fatalities", type=int, help="Events with at least this many killed (low bound).")
@click.option("--out-of-scope", is_flag=True, help="Export the incidents placed outside Syria instead (stored apart, "
              "each with its country's codes); --country keeps one country.")
@click.option("--country", metavar="NAME", help="With --out-of-scope: incidents placed in this country, e.g. Iraq.")
def export_cmd(fmt: str, db: str, output: str | None, since: str | None, until: str | None, admin1: str | None,
               actor: str | None, event_type: str | None, min_fatalities: int | None, out_of_scope: bool,
               country: str | None) -> None:
    """Export merged events: ACLED CSV, UCDP CSV, GeoJSON or JSONL with every report and claim.

    With --out-of-scope, the incidents documents place in another country (never merged, counted or
    exported with Syria's events) are exported instead, one per report, with their country.
    """
    import sqlalchemy as sa

    from rasad.database.store import events as ev_t
    from rasad.database.store import not_rejected
    from rasad.gazetteer import admin1_name

    fmt = "acled-csv" if fmt == "acled" else fmt
    store = _existing_store(db, "export")
    if country and not out_of_scope:
        raise click.BadParameter("goes with --out-of-scope (the events of Syria have no other country)",
                                 param_hint="--country")
    if out_of_scope:
        if admin1:
            raise click.BadParameter("Syria's governorates do not apply to incidents abroad", param_hint="--admin1")
        evs = _out_of_scope(store, country, since, until, actor, event_type, min_fatalities)
        _write_export(fmt, evs, output, "incidents out of scope")
        return
    conds = [not_rejected()]  # analysts' rejections never leave the database
    if since:
        conds.append(ev_t.c.date >= str(_published(since)))
    if until:
        conds.append(ev_t.c.date <= str(_published(until)))
    if admin1:
        name = admin1_name(admin1)
        if name is None:
            raise click.BadParameter(f"{admin1!r} is not a Syrian governorate", param_hint="--admin1")
        conds.append(ev_t.c.admin1 == name)
    if actor:
        conds.append(sa.or_(ev_t.c.actor1 == actor, ev_t.c.actor2 == actor))
    if event_type:
        conds.append(ev_t.c.event_type == event_type)
    if min_fatalities is not None:
        conds.append(ev_t.c.fatalities_low >= min_fatalities)
    _write_export(fmt, list(store.iter_events(sa.and_(*conds))), output, "events")


def _out_of_scope(store: Any, country: str | None, since: str | None, until: str | None, actor: str | None,
                  event_type: str | None, min_fatalities: int | None) -> list[Any]:
    """The stored incidents placed outside Syria that pass export's filters."""
    lo = str(_published(since)) if since else None
    hi = str(_published(until)) if until else None

    def keep(ev: dict[str, Any]) -> bool:
        d = ev.get("date")
        low = (ev.get("fatalities") or {}).get("low")
        return ((lo is None or (d is not None and d >= lo)) and (hi is None or (d is not None and d <= hi))
                and (actor is None or actor in (ev.get("actor1"), ev.get("actor2")))
                and (event_type is None or ev.get("event_type") == event_type)
                and (min_fatalities is None or (low is not None and low >= min_fatalities)))

    return [ev for ev in store.iter_other_events(country) if keep(ev)]


def _write_export(fmt: str, evs: list[Any], output: str | None, what: str) -> None:
    from rasad.database.export import FORMATS

    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        FORMATS[fmt](evs, out)
    finally:
        if output:
            out.close()
    click.echo(f"rasad: {len(evs)} {what} exported as {fmt}" + (f" -> {output}" if output else ""), err=True)


@main.command("stats")
@_DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def stats_cmd(db: str, as_json: bool) -> None:
    """Events and fatalities by month, governorate and actor; the stored tallies as series."""
    data = _existing_store(db, "stats").stats()
    cells = {(c["month"], c["admin1"], c["actor1"]): [c["events"], c["fatalities"]] for c in data["cells"]}
    series = data["statistics"]
    if as_json:
        click.echo(json.dumps({"cells": [{"month": k[0], "admin1": k[1], "actor1": k[2], "events": v[0], "fatalities": v[1]}
                                         for k, v in sorted(cells.items())],
                               "statistics": series},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{'month':8s} {'governorate':16s} {'actor1':36s} {'events':>6s} {'killed':>7s}")
    for (month, a1, actor), (n, k) in sorted(cells.items()):
        click.echo(f"{month:8s} {a1:16s} {actor[:36]:36s} {n:6d} {k:7d}")
    if series:
        click.echo("\ntallies (since → until: counts, claimant)")
        for s in series:
            counts = ", ".join(f"{c['value']} {c.get('category') or ''}".strip() for c in s["counts"])
            click.echo(f"  {s['period_start'] or '?'} → {s['period_end'] or '?'}: {counts} ({s['claimant']})")


@main.command("serve")
@_DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (localhost only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--open-writes", is_flag=True, help="Accept reviews without a user token (attributed to 'anonymous').")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER", help="Gazetteer for /gazetteer/lookup.")
@click.option("--static", "static_dir", type=click.Path(file_okay=False), help="Serve this folder at / instead "
              "of the built-in explorer.")
@click.option("--map-limit", type=click.IntRange(1, 20_000), default=2000, show_default=True,
              help="Points at most on /api/v1/map; above it the map gets counts on a grid.")
@click.option("--allow-host", "allow_hosts", metavar="NAME", multiple=True,
              help="Answer to this Host name too (repeatable). On loopback the server answers only to localhost, "
              "127.0.0.1 and ::1, so that no web page can reach it through a DNS name rebound to them.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes sharing the port (sessions live in the database, so any worker serves any "
              "signed-in browser).")
def serve_cmd(db: str, host: str, port: int, open_writes: bool, gazetteer: str | None, static_dir: str | None,
              map_limit: int, allow_hosts: tuple[str, ...], workers: int) -> None:
    """Serve the REST API (/api/v1, docs at /api/v1/docs) and the explorer.

    \b
    Reading is open; writes need a user token (`rasad users add NAME`).
    Example:
      rasad ingest examples --db demo.db && rasad serve --db demo.db
    """
    import socket

    import uvicorn

    from rasad.database.store import db_url
    from rasad.server import create_app

    url = db_url(db)
    if url.startswith("sqlite:///") and not (path := Path(url[len("sqlite:///"):])).exists():
        raise click.ClickException(_no_database(db, path, "serve"))
    if static_dir is None:
        from rasad.web import ASSETS_HINT, missing_assets

        if missing := missing_assets():
            click.echo(f"rasad: error: the explorer's front-end libraries are missing ({missing[0]} …): run "
                       f"{ASSETS_HINT}; serving the API only until then", err=True)
    allowed = _allowed_hosts(host, allow_hosts)
    try:
        app = create_app(db, static_dir=static_dir, open_writes=open_writes, gazetteer=gazetteer, map_limit=map_limit,
                         allowed_hosts=allowed)
    except Exception as exc:
        raise click.ClickException(f"cannot open the database {db}: {exc}") from exc
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit this: without it, a kept-alive connection waits ~40 ms per response
    # (Nagle's algorithm against delayed ACKs)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
    sock.listen(2048)  # before the URL is printed: a client may connect as soon as it reads it
    real_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"rasad: serving {app.state.store.url} at http://{shown}:{real_port}/ "
               f"(API http://{shown}:{real_port}/api/v1/docs); Ctrl-C stops", err=True)
    if allowed is None or not _loopback(host):  # (after the address line, which scripts read first)
        click.echo(f"rasad: warning: serving on {host} over plain HTTP: tokens and session cookies cross the "
                   "network in clear; put a TLS reverse proxy in front, or bind 127.0.0.1", err=True)
    from rasad.database import bulk

    with app.state.store.engine.connect() as conn:
        if bulk.pending(conn):
            click.echo("rasad: warning: a bulk load of this database has not finished: the explorer is slow, and its "
                       "counts, map, review queue and search lack the loaded events until it ends (or `rasad ingest "
                       "--finish-bulk`)", err=True)
    sys.stderr.flush()
    if workers == 1:
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        uvicorn.Server(config).run(sockets=[sock])
        return
    # N processes accepting on the socket bound above; each builds its own app (its own connections) from the
    # settings passed in the environment, which spawned processes inherit
    from uvicorn.supervisors import Multiprocess

    from rasad.server.app import SERVE_ENV, app_settings

    app.state.store.engine.dispose()  # this process only supervises
    os.environ[SERVE_ENV] = app_settings(db, static_dir=static_dir, open_writes=open_writes, gazetteer=gazetteer,
                                         map_limit=map_limit, allowed_hosts=allowed)
    config = uvicorn.Config("rasad.server.app:from_environment", factory=True, workers=workers,
                            log_level="warning", access_log=False)
    Multiprocess(config, sockets=[sock]).run()


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str, extra: tuple[str, ...]) -> frozenset[str] | None:
    """The Host names the server answers to: loopback names on loopback, else the address bound and those
    given; None (any) on all interfaces with none given."""
    from rasad.server.guard import LOOPBACK_HOSTS, host_name

    named = {host_name(h) for h in extra}
    if _loopback(host):
        return LOOPBACK_HOSTS | named
    if host in ("0.0.0.0", "::") and not named:
        return None
    return frozenset({host_name(host), *named})


@main.group()
def users() -> None:
    """Analysts who may review events through the API."""


@users.command("add")
@click.argument("name")
@_DB_OPTION
def users_add(name: str, db: str) -> None:
    """Create user NAME and print a new token (shown once; only its SHA-256 is stored)."""
    from rasad.server.auth import UserError, add_user

    store = _store(db)
    try:
        token = add_user(store, name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(token)
    click.echo(f"rasad: user {name!r} added; keep the token above, it is not shown again", err=True)


@users.command("revoke")
@click.argument("name")
@_DB_OPTION
def users_revoke(name: str, db: str) -> None:
    """Remove user NAME: its token and its browser sessions stop working at once."""
    from rasad.server.auth import UserError, revoke_user

    try:
        revoke_user(_store(db), name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"rasad: user {name!r} revoked", err=True)


@users.command("list")
@_DB_OPTION
def users_list(db: str) -> None:
    """Users and when they were added."""
    from rasad.server.auth import list_users

    for u in list_users(_store(db)):
        click.echo(f"{u['name']}\t{u['created_at']}")


@main.group()
def review() -> None:
    """Analysts' review: export reviewed documents as evaluation data."""


@review.command("export")
@_DB_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def review_export(db: str, output: str | None) -> None:
    """Documents with a confirmed or corrected event, as a gold file like ../shared/gold/seeds.json."""
    from rasad.database.review import gold_export

    gold = gold_export(_existing_store(db, "review export"))
    text = json.dumps(gold, ensure_ascii=False, indent=1) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    n = sum(len(d["events"]) for d in gold["documents"])
    click.echo(f"rasad: {len(gold['documents'])} reviewed documents, {n} events" + (f" -> {output}" if output else ""),
               err=True)


@main.group()
def boundaries() -> None:
    """Governorate and district outlines and main roads for the explorer's map."""


@boundaries.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--level", type=click.Choice(["admin1", "admin2", "roads"]), default="admin1", show_default=True,
              help="admin1: governorates; admin2: districts (each feature named, e.g. ADM2_EN or ADM2_AR); "
                   "roads: main roads, (multi)linestrings (e.g. Natural Earth's ne_10m_roads), names optional.")
@_DB_OPTION
def boundaries_import(source: str, level: str, db: str) -> None:
    """Store SOURCE, a GeoJSON FeatureCollection of (multi)polygons (of (multi)linestrings for roads), as the
    map's shapes of LEVEL, served at /api/v1/boundaries/LEVEL. Governorates are drawn instead of the Natural Earth
    ones installed with the explorer (`make install`); districts from zoom 8; roads from zoom 7, only those
    reaching into Syria's surroundings (34.5-43.0 E, 31.5-38.0 N) kept. A file that fails a check leaves the
    stored ones as they were."""
    from rasad.database.boundaries import LEVELS, BoundaryError, import_boundaries

    try:
        gj = import_boundaries(_store(db), Path(source), level)
    except BoundaryError as exc:
        raise click.ClickException(f"{source}: {exc}") from exc
    kept = ""
    if cropped := gj.get("cropped"):
        x0, y0, x1, y1 = cropped["bbox"]
        kept = f" (of the file's {cropped['features']}, those reaching into {x0}-{x1} E, {y0}-{y1} N)"
    click.echo(f"rasad: {len(gj['features'])} {LEVELS[level].shapes}{kept}"
               f"{' (approximate, as the file says)' if gj.get('approximate') else ''} imported from {source}", err=True)


@main.group()
def gazetteer() -> None:
    """Build, inspect and query the gazetteer used for geocoding."""


@gazetteer.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Database to write (default: the cache, keyed by content).")
def gazetteer_import(source: str, output: str | None) -> None:
    """Import SOURCE (GeoNames SY.txt, OCHA CSV/XLSX, or a places.csv table) into a gazetteer database,
    with rasad's curated supplement (airbases, crossings, oil fields ... that such lists lack).

    \b
    Examples:
      rasad gazetteer import ../shared/gazetteer/places.csv -o places.sqlite
      rasad extract reports/ --gazetteer places.sqlite
    """
    from rasad.gazetteer import Gazetteer, GazetteerError, build, read_with_supplement, resolve_spec, summary

    try:
        if output:
            n = build(Path(output), read_with_supplement(Path(source)), f"{source} + places_supplement.tsv")
            db = Path(output)
        else:
            db = resolve_spec(source)
            n = len(Gazetteer(db))
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    info = summary(Gazetteer(db))
    click.echo(f"{n} places, {info['names']} names -> {db}")
    click.echo("kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(info["kinds"].items(), key=lambda kv: -kv[1])))


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--gazetteer", "spec", metavar="PATH", envvar="RASAD_GAZETTEER", help="Gazetteer (default: built-in).")
@click.option("--context", metavar="GOVERNORATES", help="Governorates named around the place, comma-separated "
              f"(e.g. '{_EXAMPLE_GOVERNORATE}' or 'Raqqa'): candidates there score higher, as in extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
def gazetteer_lookup(name: str, spec: str | None, context: str | None, as_json: bool) -> None:
    """Show the candidates for NAME with their scores: why a place was chosen."""
    from rasad.gazetteer import GazetteerError, open_gazetteer
    from rasad.pipeline.geocode import lookup_report

    try:
        g = open_gazetteer(spec)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = lookup_report(g, name, context)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo(f"no place named {name!r} in {g.path}")
        sys.exit(1)
    for r in rows:
        admin = " / ".join(x for x in (r["admin1_en"], r["admin2_en"], r["admin3_en"]) if x)
        click.echo(f"{r['score']:6.2f}  {r['name_ar'] or ''} ({r['name_en'] or ''})  {r['kind']}  "
                   f"{r['lat']}, {r['lon']}  {admin}  [{r['source']}]"
                   + (f" pcode {r['pcode']}" if r["pcode"] else "") + (f" geonames {r['geonames_id']}" if r["geonames_id"] else ""))


@gazetteer.command("info")
@click.option("--gazetteer", "spec", metavar="PATH", envvar="RASAD_GAZETTEER", help="Gazetteer (default: built-in).")
def gazetteer_info(spec: str | None) -> None:
    """Where the gazetteer is, how many places of which kinds it holds."""
    from rasad.gazetteer import GazetteerError, open_gazetteer, summary

    try:
        info = summary(open_gazetteer(spec))
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(info, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
