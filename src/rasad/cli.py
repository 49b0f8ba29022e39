"""Command line: `rasad extract`, `rasad eval`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import multiprocessing as mp
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .document import Source
from .ingest import IngestError, count_sources, iter_sources, parse_published

_GEOCODER: Any = None  # set once per process before extraction (inherited by forked workers)


def _setup_geocoder(gazetteer: str | None, geocode: bool) -> None:
    global _GEOCODER
    if not geocode:
        _GEOCODER = None
        return
    from .gazetteer import GazetteerError, open_gazetteer
    from .geocode import Geocoder

    try:
        _GEOCODER = Geocoder(open_gazetteer(gazetteer))
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc


def _extract_one(src: Source) -> dict[str, Any]:
    from .pipeline import extract

    try:
        return extract(src, _GEOCODER)
    except Exception as exc:  # keep the batch going, but say so loudly
        return {
            "doc": src.doc, "url": src.url, "source": src.source, "title": src.title,
            "published": src.published.isoformat() if src.published else None,
            "events": [], "statistics": [],
            "warnings": [f"internal error, please report: {exc.__class__.__name__}: {exc}"],
            "error": traceback.format_exc(limit=3),
        }


def _published(published: str | None) -> dt.date | None:
    if not published:
        return None
    pub = parse_published(published)
    if pub is None:
        raise click.BadParameter(f"{published!r} is not a date; use YYYY-MM-DD", param_hint="--published")
    return pub


def run_extraction(paths: list[str], published: str | None, jobs: int, progress: bool | None,
                   errors: list[IngestError]) -> Iterator[dict[str, Any]]:
    pub = _published(published)
    sources = iter_sources(paths, published=pub, on_error=errors.append)
    show = sys.stderr.isatty() if progress is None else progress
    total = count_sources(paths) if show else None
    if jobs > 1:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        pool = ctx.Pool(jobs)
        results: Iterator[dict[str, Any]] = pool.imap(_extract_one, sources, chunksize=16)
    else:
        pool = None
        results = map(_extract_one, sources)
    if show:
        from tqdm import tqdm

        results = iter(tqdm(results, total=total, unit="doc", desc="extract", file=sys.stderr, mininterval=0.5))
    try:
        yield from results
    finally:
        if pool is not None:
            pool.terminate()


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
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
@click.option("--events-only", is_flag=True, help="Leave out documents that yield no event and no statistic.")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER",
              help="Gazetteer database, or a file to import (GeoNames SY.txt, OCHA CSV/XLSX, places.csv); "
                   "default: $RASAD_GAZETTEER, else the built-in one.")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
def extract(paths: tuple[str, ...], published: str | None, fmt: str, output: str | None, jobs: int,
            progress: bool | None, events_only: bool, gazetteer: str | None, geocode: bool) -> None:
    """Extract events from PATHS: .txt, .html, .jsonl(.gz), .json files, folders, or - for stdin.

    \b
    Examples:
      rasad extract examples --format table
      rasad extract article.txt --published 2021-12-03
      rasad extract ../shared/corpus/ant/articles.jsonl.gz -o events.jsonl --jobs 2
    """
    from .output import Writer

    _published(published)  # a mistyped date fails before anything is written
    _setup_geocoder(gazetteer, geocode)
    errors: list[IngestError] = []
    # -o FILE is written to a temporary file beside it and renamed at the end: a failed run never
    # leaves a half-written file or destroys the previous results
    tmp = None
    if output:
        target = Path(output)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    out = open(tmp, "w", encoding="utf-8") if tmp else sys.stdout  # noqa: SIM115
    internal = 0
    n_docs = n_events = 0
    done = False
    try:
        writer = Writer(fmt, out)
        for rec in run_extraction(list(paths), published, jobs, progress, errors):
            n_docs += 1
            n_events += len(rec["events"])
            if "error" in rec:
                internal += 1
                click.echo(f"rasad: internal error on {rec['doc']}: {rec['warnings'][0]}", err=True)
                rec.pop("error")
            if events_only and not rec["events"] and not rec["statistics"]:
                continue
            writer.write(rec)
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
    if internal:
        sys.exit(3)


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
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default="../shared/corpus/seeds",
              show_default=True, help="Folder holding the documents the gold file names.")
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False), default="../shared/eval/score.py",
              show_default=True, help="The official scorer (read at run time, never copied).")
@click.option("--show-misses", is_flag=True, help="List missed gold events and false predictions.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--gazetteer", metavar="PATH", envvar="RASAD_GAZETTEER",
              help="Gazetteer for geocoding (default: $RASAD_GAZETTEER, else the built-in one).")
@click.option("--geocode/--no-geocode", default=True, show_default=True, help="Resolve places to points.")
def evaluate(gold: str, corpus: str, scorer: str, show_misses: bool, as_json: bool, gazetteer: str | None,
             geocode: bool) -> None:
    """Extract the documents of a gold set and score them with the official scorer."""
    import tempfile

    _setup_geocoder(gazetteer, geocode)
    errors: list[IngestError] = []
    names = {d["doc"] for d in json.loads(Path(gold).read_text(encoding="utf-8"))["documents"]}
    paths = [str(Path(corpus) / n) for n in sorted(names)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for rec in run_extraction(paths, None, 1, False, errors):
            tmp.write(json.dumps(rec, ensure_ascii=False) + "\n")
    _report_errors(errors)
    spec = importlib.util.spec_from_file_location("rasad_official_scorer", scorer)
    if spec is None or spec.loader is None:
        raise click.ClickException(f"cannot load the scorer {scorer}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    argv = [gold, tmp.name, "--corpus", corpus] + (["--show-misses"] if show_misses else []) + (["--json"] if as_json else [])
    try:
        mod.main(argv)
    finally:
        Path(tmp.name).unlink(missing_ok=True)


@main.group()
def gazetteer() -> None:
    """Build, inspect and query the gazetteer used for geocoding."""


@gazetteer.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Database to write (default: the cache, keyed by content).")
def gazetteer_import(source: str, output: str | None) -> None:
    """Import SOURCE (GeoNames SY.txt, OCHA CSV/XLSX, or a places.csv table) into a gazetteer database.

    \b
    Examples:
      rasad gazetteer import ../shared/gazetteer/places.csv -o places.sqlite
      rasad extract reports/ --gazetteer places.sqlite
    """
    from .gazetteer import Gazetteer, GazetteerError, build, resolve_spec, sniff_and_read, summary

    try:
        if output:
            n = build(Path(output), sniff_and_read(Path(source)), source)
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
              "(e.g. 'الرقة' or 'Raqqa'): candidates there score higher, as in extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
def gazetteer_lookup(name: str, spec: str | None, context: str | None, as_json: bool) -> None:
    """Show the candidates for NAME with their scores: why a place was chosen."""
    from .gazetteer import GazetteerError, open_gazetteer
    from .geocode import lookup_report

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
    from .gazetteer import GazetteerError, open_gazetteer, summary

    try:
        info = summary(open_gazetteer(spec))
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(info, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
