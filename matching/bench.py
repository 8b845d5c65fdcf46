"""Latency and memory benchmark on synthetic data (python -m matching bench)."""

from __future__ import annotations

import gc
import platform
import random
import resource
import time
from datetime import date

import numpy as np
import scipy
import sklearn

from matching.index import MatchIndex
from matching.synth import Generator

TODAY = date(2025, 6, 1)
WARMUP = 3


def _percentiles_ms(samples: list[float]) -> dict:
    values = np.asarray(samples) * 1000.0
    return {"p50_ms": round(float(np.percentile(values, 50)), 2),
            "p95_ms": round(float(np.percentile(values, 95)), 2),
            "max_ms": round(float(values.max()), 2)}


def _timed(call, arguments: list) -> list[float]:
    for argument in arguments[:WARMUP]:
        call(argument)
    samples = []
    for argument in arguments:
        start = time.perf_counter()
        call(argument)
        samples.append(time.perf_counter() - start)
    return samples


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def run_bench(n_candidates: int, n_vacancies: int, queries: int, seed: int = 7) -> dict:
    start = time.perf_counter()
    generator = Generator(seed, restrictions=True)
    candidates = [generator.candidate(i)[0] for i in range(n_candidates)]
    vacancies = [generator.vacancy(f"v{i}")[0] for i in range(n_vacancies)]
    generated = time.perf_counter() - start

    start = time.perf_counter()
    index = MatchIndex(candidates, vacancies, generator.taxonomy)
    build = time.perf_counter() - start
    # Millions of long-lived profile objects make a full garbage-collection
    # pass take hundreds of ms; a server should freeze them after loading too.
    gc.collect()
    gc.freeze()

    rng = random.Random(seed)
    vacancy_ids = [rng.choice(vacancies).id for _ in range(queries)] if vacancies else []
    candidate_ids = [rng.choice(candidates).id for _ in range(queries)] if candidates else []
    rank = _timed(lambda v: index.rank_candidates(v, top_k=20, today=TODAY), vacancy_ids)
    recommend = _timed(lambda c: index.recommend_vacancies(c, top_k=20, today=TODAY),
                       candidate_ids)
    return {
        "candidates": n_candidates,
        "vacancies": n_vacancies,
        "queries": queries,
        "generate_s": round(generated, 2),
        "build_s": round(build, 2),
        "peak_rss_mb": _peak_rss_mb(),
        "rank_candidates_top20": _percentiles_ms(rank) if rank else None,
        "recommend_vacancies_top20": _percentiles_ms(recommend) if recommend else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
    }
