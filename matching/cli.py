"""Command line: python -m matching {rank,recommend,bench,evaluate}."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from matching.index import MatchIndex
from matching.io import InputError, load_taxonomy, parse_candidate, parse_vacancy, read_jsonl
from matching.types import Page, Taxonomy

EXIT_BAD_INPUT = 2


def _add_matching_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--candidates", required=True, help="candidates, JSON lines")
    parser.add_argument("--vacancies", required=True, help="vacancies, JSON lines")
    parser.add_argument("--top-k", type=int, default=20)
    parser.add_argument("--out", required=True, help="output file, JSON lines")
    parser.add_argument("--taxonomy", help="skill taxonomy, JSON")
    parser.add_argument("--skip-bad", action="store_true", help="skip malformed lines")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_matching_options(commands.add_parser("rank", help="rank candidates per vacancy"))
    _add_matching_options(commands.add_parser("recommend", help="vacancies per candidate"))
    bench = commands.add_parser("bench", help="latency/memory benchmark on synthetic data")
    bench.add_argument("--candidates", type=int, default=100_000)
    bench.add_argument("--vacancies", type=int, default=100_000)
    bench.add_argument("--queries", type=int, default=200)
    bench.add_argument("--seed", type=int, default=7)
    evaluate = commands.add_parser("evaluate", help="quality on the shipped labelled data")
    evaluate.add_argument("--seed", type=int, default=20240601)
    return parser


def _load(args: argparse.Namespace):
    taxonomy = load_taxonomy(args.taxonomy) if args.taxonomy else Taxonomy()
    candidates, skipped_c = read_jsonl(args.candidates, parse_candidate, args.skip_bad)
    vacancies, skipped_v = read_jsonl(args.vacancies, parse_vacancy, args.skip_bad)
    for path, skipped in ((args.candidates, skipped_c), (args.vacancies, skipped_v)):
        if skipped:
            print(f"warning: skipped {skipped} malformed line(s) in {path}", file=sys.stderr)
    return taxonomy, candidates, vacancies


def _ranking(page: Page, id_key: str) -> list[dict]:
    return [{id_key: m.id, "score": m.score, "explanation": m.explanation} for m in page.items]


def _run_matching(args: argparse.Namespace) -> int:
    try:
        taxonomy, candidates, vacancies = _load(args)
    except (InputError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    index = MatchIndex(candidates, vacancies, taxonomy)
    today = args.today or date.today()
    with open(args.out, "w", encoding="utf-8") as out:
        if args.command == "rank":
            for v in {v.id: v for v in vacancies}.values():
                page = index.rank_candidates(v.id, top_k=args.top_k, today=today)
                line = {"vacancy_id": v.id, "ranking": _ranking(page, "candidate_id")}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            for c in {c.id: c for c in candidates}.values():
                page = index.recommend_vacancies(c.id, top_k=args.top_k, today=today)
                line = {"candidate_id": c.id, "ranking": _ranking(page, "vacancy_id")}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("rank", "recommend"):
        return _run_matching(args)
    if args.command == "bench":
        from matching.bench import run_bench

        result = run_bench(args.candidates, args.vacancies, args.queries, args.seed)
    else:
        from matching.evaluate import run_evaluation

        result = run_evaluation(args.seed)
    print(json.dumps(result, ensure_ascii=False))
    return 0
