"""Grid carbon intensity of cloud regions, and the cleaner region to suggest.

The figures are annual grid averages (gCO2e/kWh) from `rules/data/regions.csv`; see
`rules/data/README.md` for their sources and terms. They rank regions; they are not an
emissions report. `[tool.greenlint.carbon]` overrides them:

    [tool.greenlint.carbon]
    table = "carbon/regions.csv"              # replaces the whole table (same columns)
    intensity = { "aws:us-east-1" = 380 }     # replaces single figures (or adds a region)
"""
from __future__ import annotations

import csv
import json
import re
from collections import namedtuple
from pathlib import Path
from typing import Any, Iterable

from .rules import data_path

_PROVIDER_ALIASES = {
    "aws": "aws", "amazon": "aws", "ec2": "aws", "sagemaker": "aws",
    "gcp": "gcp", "google": "gcp", "gce": "gcp", "gcloud": "gcp", "google-cloud": "gcp", "googlecloud": "gcp",
    "vertex": "gcp",
    "azure": "azure", "microsoft": "azure", "az": "azure",
    "oracle": "oracle", "oci": "oracle",
    "alibaba": "alibaba", "aliyun": "alibaba", "alicloud": "alibaba",
    "ibm": "ibm", "ibmcloud": "ibm",
}

COLUMNS = ("provider", "region", "location", "country_iso", "continent", "gco2e_per_kwh", "year", "source")


class Region(namedtuple("Region", "provider region location country_iso continent gco2e_per_kwh year source")):
    """One cloud region and the carbon intensity of its grid (gCO2e/kWh, of `year`, from `source`)."""

    __slots__ = ()

    @property
    def spec(self) -> str:
        return f"{self.provider}:{self.region}"

    @property
    def partition(self) -> str:
        """'commercial', 'government' or 'china': regions are only compared within one partition."""
        return partition(self.provider, self.region)


def partition(provider: str, region: str) -> str:
    r = region.lower()
    if provider == "aws":
        if r.startswith("us-gov-") or r.startswith("us-iso"):
            return "government"
        if r.startswith("cn-"):
            return "china"
    elif provider == "azure":
        if r.startswith("usgov") or r.startswith("usdod") or r.startswith("ussec") or r.startswith("germany"):
            return "government"  # government-only or sovereign clouds
        if r.startswith("china"):
            return "china"
    elif provider == "alibaba":
        if r.startswith("cn-") and r != "cn-hongkong":
            return "china"  # mainland regions: separate licensing (ICP), not a drop-in move
    elif provider == "oracle":
        if r.startswith("us-langley") or r.startswith("us-luke") or "-gov-" in r or r.startswith("us-gov"):
            return "government"
        if "sovereign" in r or r.startswith("eu-frankfurt-2") or r.startswith("eu-madrid-2"):
            return "government"  # EU Sovereign Cloud
    elif provider == "gcp":
        if r.startswith("us-gov") or "sovereign" in r:
            return "government"
    return "commercial"


def canonical_provider(name: str) -> str | None:
    return _PROVIDER_ALIASES.get(name.strip().lower())


def _read_table(path: Path) -> dict[tuple[str, str], Region]:
    table: dict[tuple[str, str], Region] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            provider = canonical_provider(row.get("provider") or "") or (row.get("provider") or "").strip().lower()
            region = (row.get("region") or "").strip().lower()
            raw = (row.get("gco2e_per_kwh") or "").strip()
            if not provider or not region or not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                continue
            year_raw = (row.get("year") or "").strip()
            table[(provider, region)] = Region(
                provider=provider,
                region=region,
                location=(row.get("location") or "").strip(),
                country_iso=(row.get("country_iso") or "").strip().upper(),
                continent=(row.get("continent") or "").strip(),
                gco2e_per_kwh=value,
                year=int(year_raw) if year_raw.isdigit() else 0,
                source=(row.get("source") or str(path)).strip(),
            )
    return table


_CACHE: dict[str, dict[tuple[str, str], Region]] = {}


def load_regions(overrides: dict[str, Any] | None = None) -> dict[tuple[str, str], Region]:
    """All regions, keyed by (provider, region), with the `[tool.greenlint.carbon]` overrides applied."""
    overrides = overrides or {}
    key = json.dumps(overrides, sort_keys=True, default=str)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    table_path = overrides.get("table")
    table = _read_table(Path(table_path) if table_path else data_path("regions.csv"))
    for spec, value in (overrides.get("intensity") or {}).items():
        parsed = _split_spec(str(spec))
        if parsed is None:
            continue
        provider, region = parsed
        old = table.get((provider, region))
        figure = float(value)
        if old is None:
            table[(provider, region)] = Region(provider, region, "", "", "", figure, 0, "greenlint configuration")
        else:
            table[(provider, region)] = old._replace(gco2e_per_kwh=figure, source="greenlint configuration")
    _CACHE[key] = table
    return table


def _split_spec(spec: str) -> tuple[str, str] | None:
    if ":" not in spec:
        return None
    provider, _, region = spec.partition(":")
    canonical = canonical_provider(provider)
    if canonical is None or not region.strip():
        return None
    return canonical, region.strip().lower()


# AWS zones: us-east-1a, (local zones us-east-1-bos-1a are not regions of their own: not mapped).
_AWS_ZONE = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$")
# GCP zones: us-central1-a, europe-west4-b.
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


def lookup(spec: str, overrides: dict[str, Any] | None = None) -> Region | None:
    """`aws:us-east-1`, `gcp:us-central1-a` (zone → region), `google:…`, `oci:…` → Region, or None."""
    parsed = _split_spec(spec)
    if parsed is None:
        return None
    provider, region = parsed
    table = load_regions(overrides)
    found = table.get((provider, region))
    if found is not None:
        return found
    zone = (_AWS_ZONE if provider in ("aws",) else _GCP_ZONE).match(region)
    if zone:
        return table.get((provider, zone.group(1)))
    return None


def _allowed_set(allowed: Iterable[str] | None, provider: str) -> set[str] | None:
    if allowed is None:
        return None
    out: set[str] = set()
    for item in allowed:
        item = str(item).strip().lower()
        parsed = _split_spec(item)
        if parsed is not None:
            if parsed[0] == provider:
                out.add(parsed[1])
        elif item:
            out.add(item)  # a bare region id applies to any provider that has it
    return out


def cleaner_alternative(
    region: Region,
    min_improvement: float = 2.0,
    allowed: Iterable[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Region | None:
    """The cleanest region of the same provider and partition that is at least `min_improvement`
    times cleaner: in the same country if there is one, else on the same continent.

    `allowed` (e.g. data-residency constraints) limits the candidates; an empty list allows none.
    """
    if region.gco2e_per_kwh <= 0:
        return None
    allowed_set = _allowed_set(allowed, region.provider)
    threshold = region.gco2e_per_kwh / min_improvement
    candidates = [
        r
        for (provider, name), r in load_regions(overrides).items()
        if provider == region.provider
        and name != region.region
        and r.partition == region.partition
        and r.gco2e_per_kwh <= threshold
        and (allowed_set is None or name in allowed_set)
    ]
    for same in (
        lambda r: region.country_iso and r.country_iso == region.country_iso,
        lambda r: region.continent and r.continent == region.continent,
    ):
        pool = [r for r in candidates if same(r)]
        if pool:
            return min(pool, key=lambda r: (r.gco2e_per_kwh, r.region))
    return None
