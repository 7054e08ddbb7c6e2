"""Join codes for the teams and a token for the facilitator's console.

Codes come from `secrets`, never from the model's seeded generator: they guard
a session on a shared network, and the model's randomness stays the model's.
A team code is short enough to read off a projector and type (six characters
from an alphabet without look-alikes such as 0/O and 1/I/L); the facilitator's
token is long, since it steers every team and is only ever clicked, not typed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEAM_CODE_LENGTH = 6
TOKEN_BYTES = 18  # 24 URL-safe characters
MAX_CODE_CHARS = 64  # what a join message may carry; anything longer is no code of ours


def new_team_code(taken: set[str] = frozenset()) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(TEAM_CODE_LENGTH))
        if code not in taken:
            return code


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def normalise(text: str) -> str:
    """A typed team code as stored: capitals, without spaces or dashes ("k7p-m3x" -> "K7PM3X")."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def shown(code: str) -> str:
    """A team code as printed and projected: two groups of three ("K7P-M3X")."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass(frozen=True)
class Codes:
    teams: tuple[str, ...]
    facilitator: str

    @classmethod
    def new(cls, n_teams: int) -> Codes:
        teams: list[str] = []
        for _ in range(n_teams):
            teams.append(new_team_code(set(teams)))
        return cls(tuple(teams), new_token())

    def with_team(self) -> Codes:
        """One more team (a branch): a new code, the others unchanged."""
        return Codes((*self.teams, new_team_code(set(self.teams))), self.facilitator)

    def role_of(self, text: str) -> tuple[str, int | None] | None:
        """("facilitator", None), ("team", index) or None for a code that is none of ours.

        Compared in constant time, so response times say nothing about a code.
        """
        if secrets.compare_digest(text.encode(), self.facilitator.encode()):
            return ("facilitator", None)
        typed = normalise(text).encode()
        found = None
        for i, code in enumerate(self.teams):
            if secrets.compare_digest(typed, code.encode()):
                found = i
        return None if found is None else ("team", found)

    def to_data(self) -> dict[str, Any]:
        return {"teams": list(self.teams), "facilitator": self.facilitator}

    @classmethod
    def from_data(cls, data: Any, n_teams: int) -> Codes:
        """Codes from a save; ValueError naming what is wrong."""
        if not isinstance(data, dict) or set(data) != {"teams", "facilitator"}:
            raise ValueError("codes must be an object with exactly 'teams' and 'facilitator'")
        teams, token = data["teams"], data["facilitator"]
        if not isinstance(teams, list) or len(teams) != n_teams:
            raise ValueError(f"codes.teams must be a list of {n_teams} codes, one per team")
        for code in teams:
            if not (isinstance(code, str) and len(code) == TEAM_CODE_LENGTH
                    and all(ch in ALPHABET for ch in code)):
                raise ValueError(f"codes.teams holds {str(code)[:20]!r}, not a code of "
                                 f"{TEAM_CODE_LENGTH} characters from {ALPHABET}")
        if len(set(teams)) != len(teams):
            raise ValueError("codes.teams holds the same code twice")
        if not (isinstance(token, str) and 16 <= len(token) <= MAX_CODE_CHARS):
            raise ValueError("codes.facilitator must be a token of 16 to 64 characters")
        return cls(tuple(teams), token)
