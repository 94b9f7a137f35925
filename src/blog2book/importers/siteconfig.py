"""A static site's configuration and data, as the generator reads them.

* Jekyll: ``_config.yml``, then ``_config.<lang>.yml`` (the language being imported) and
  ``_config.production.yml`` merged over it (other ``_config.*.yml`` name other builds, such as
  ``_config.dev.yml``, and are not read); ``_data/`` (YAML, JSON) for ``site.data``.
* Hugo: ``hugo.toml|yaml|json``, ``config.toml|yaml|json``, or ``config/_default/`` holding them.

A configuration that cannot be read is an error at its line (the import writes nothing): URLs and
cross-references depend on it. A data file that cannot be read is a warning (``site.data`` lacks it).

Multilingual sites keep per-language values in maps keyed by language (``title: {fr: …, en: …}``,
``urlalt: {fr: https://…, en: https://…}``): ``pick`` takes the value of one language.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, error, warning
from blog2book.importers import leads_outside

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


class ConfigProblem(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _line(exc: Exception, text: str) -> int:
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)  # a flow sequence: where it opens
    if mark is not None:
        return mark.line + 1
    m = re.search(r"line (\d+)", str(exc))  # tomllib and json say "(at line 3, column 5)"
    return int(m.group(1)) if m else 1


def load(path: Path, site: Path, diags: list[Diagnostic], mapping: bool = True) -> Any:
    """The mapping of a YAML, TOML or JSON file of the site; None when it is a link leaving the site
    (never read: a warning in ``diags``); raises ConfigProblem (located) when it cannot be read."""
    problem = leads_outside(path, site, "the site")
    if problem is not None:
        diags.append(problem)
        return None
    try:
        text = path.read_text("utf-8").lstrip("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigProblem(error("import.config", f"{path.name} cannot be read: {exc}", Location(path), "fix the file, then import again")) from None
    try:
        if path.suffix in (".toml", ".json"):
            deep = guard.too_deep_brackets(text)
            if deep is not None:
                raise ValueError(f"nested more than {guard.MAX_YAML_DEPTH} levels deep (at line {deep + 1})")
            data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        else:
            data = yaml.load(text, Loader=guard.ShallowLoader)
    except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigProblem(error("import.config", f"{path.name} cannot be read: {first}", Location(path, _line(exc, text)), "fix it (the site's address and settings come from it), then import again; nothing was imported")) from None
    if data is None:
        return {}
    if mapping and not isinstance(data, dict):
        raise ConfigProblem(error("import.config", f"{path.name} is not a mapping of settings", Location(path, 1), "fix it, then import again"))
    return data


def jekyll_config(root: Path, lang: str | None, diags: list[Diagnostic]) -> dict:
    """The merged configuration of a Jekyll site (empty when it has none); raises ConfigProblem."""
    config: dict = {}
    names = ["_config.yml", "_config.yaml", "_config.toml"]
    if lang:
        names += [f"_config.{lang}.yml", f"_config.{lang}.yaml"]
    names += ["_config.production.yml", "_config.prod.yml"]
    for name in names:
        path = root / name
        if path.is_file():
            data = load(path, root, diags)
            config.update(data or {})
    return config


def jekyll_data(root: Path, diags: list[Diagnostic]) -> dict:
    """``site.data``: ``_data/a/b.yml`` is ``site.data.a.b``."""
    data: dict = {}
    folder = root / "_data"
    if not folder.is_dir() or guard.outside(folder, root):
        return data
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".json", ".toml") or not path.is_file():
            continue
        try:
            value = load(path, root, diags, mapping=False)  # a data file may be a list
        except ConfigProblem as exc:
            d = exc.diagnostic
            diags.append(warning(d.code, d.message + "; site.data lacks it", d.location, "fix the file if a post uses it"))
            continue
        if value is None:
            continue
        here = data
        for part in path.relative_to(folder).with_suffix("").parts[:-1]:
            here = here.setdefault(part, {})
        here[path.stem] = value
    return data


def hugo_config(root: Path, diags: list[Diagnostic]) -> tuple[dict, Path | None]:
    """A Hugo site's configuration and its file (({}, None) when it has none); raises ConfigProblem."""
    for folder in (root, root / "config" / "_default"):
        for name in HUGO_CONFIGS:
            path = folder / name
            if path.is_file():
                return load(path, root, diags) or {}, path
    return {}, None


def lower_keys(config: dict) -> dict:
    """Hugo's keys are case-insensitive (``baseURL``, ``baseurl``; ``Languages``)."""
    return {str(k).lower(): v for k, v in config.items()}


def pick(value: Any, lang: str | None) -> Any:
    """One language's value of a per-language map (``{fr: …, en: …}``); other values as they are."""
    if isinstance(value, dict) and value and all(isinstance(k, str) and _LANG.match(k) for k in value):
        if lang and lang in value:
            return value[lang]
        short = (lang or "").split("-")[0].split("_")[0]
        if short in value:
            return value[short]
        return next(iter(value.values()))
    return value


def site_address(config: dict, lang: str | None) -> str:
    """``url`` + ``baseurl`` of a Jekyll site for one language: ``url`` itself, or its per-language
    map, or another map of addresses keyed by language (``urlalt``, ``urls``…) when ``url`` lacks one."""
    url = pick(config.get("url"), lang)
    if lang and not isinstance(config.get("url"), dict):  # a map of the languages' addresses says more than url
        for value in config.values():
            chosen = value.get(lang) if isinstance(value, dict) else None
            if isinstance(chosen, str) and re.match(r"^https?://", chosen):
                url = chosen
                break
    base = pick(config.get("baseurl"), lang)
    url = url if isinstance(url, str) else ""
    base = base if isinstance(base, str) else ""
    return (url.rstrip("/") + "/" + base.strip("/")).rstrip("/")


def site_hosts(config: dict) -> set[str]:
    """Every address the configuration names (``url``, per-language maps): links to them are the site's."""
    found: set[str] = set()

    def walk(value: Any, depth: int = 0) -> None:
        if isinstance(value, str) and re.match(r"^https?://[^/\s]+/?$", value.strip()):
            found.add(re.sub(r"^https?://(www\.)?", "", value.strip().rstrip("/")).lower())
        elif isinstance(value, dict) and depth < 2:
            for v in value.values():
                walk(v, depth + 1)

    for key in ("url", "urlalt", "url_alt", "urls", "alt_url", "baseurl"):
        walk(config.get(key))
    for value in config.values():
        if isinstance(value, dict):
            walk(value, 1)
    return found
