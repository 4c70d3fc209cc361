"""The home page's panels, one list for every app.

scoring may not import appraisal or reports, which sit above it; they register here, at start-up (their
AppConfig.ready), a function that returns their panels for a user. Each panel names the template that draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scoring.models import User


@dataclass(frozen=True, slots=True)
class Panel:
    template: str
    order: int  # smaller first: a unit's own dossier before the appraisers' lists before the administrator's
    context: dict[str, Any] = field(default_factory=dict)


PanelSource = Callable[[User], list[Panel]]
_sources: list[PanelSource] = []


def register_home_panels(source: PanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def panels_for(user: User) -> list[Panel]:
    panels = [panel for source in _sources for panel in source(user)]
    return sorted(panels, key=lambda p: p.order)
