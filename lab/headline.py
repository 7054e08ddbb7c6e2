"""The KPIs a policy brief leads with: their names in Dutch and English, units and direction.

Every lab table carries all summary KPIs; these are the ones a policymaker
reads first, in this order. `better` says which way is good, so a difference
can be put in words ("2,3 weken korter"); `target` is the workshop's target
where the model has one (from sim.kpis), drawn as a line on the charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.targets import TARGET_RATING, TARGET_WAIT_WEEKS, TARGET_WITHOUT_HELP


@dataclass(frozen=True)
class Headline:
    key: str  # summary KPI (a column of the run table)
    nl: str
    en: str
    unit: str  # "weeks", "share" (0-1, shown as %), "rating", "eur", "count", "index"
    better: str  # "lower" or "higher"
    target: float | None = None

    def label(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


HEADLINES: tuple[Headline, ...] = (
    Headline("mean_wait_weeks", "wachttijd", "wait", "weeks", "lower", TARGET_WAIT_WEEKS),
    Headline("share_ended_without_further_help", "afgesloten zonder verdere hulp",
             "ended without further help", "share", "higher", TARGET_WITHOUT_HELP),
    Headline("client_rating", "waardering door gezinnen", "families' rating", "rating",
             "higher", TARGET_RATING),
    Headline("professional_satisfaction", "tevredenheid professionals",
             "professionals' satisfaction", "index", "higher"),
    Headline("p90_wait_weeks", "wachttijd van de 10 % langste", "wait of the longest 10 %",
             "weeks", "lower"),
    Headline("relapse_share", "terugval", "relapse", "share", "lower"),
    Headline("escalations_per_year", "escalaties per jaar", "escalations per year", "count",
             "lower"),
    Headline("cost_per_year_eur", "kosten per jaar", "cost per year", "eur", "lower"),
)

BY_KEY = {h.key: h for h in HEADLINES}
