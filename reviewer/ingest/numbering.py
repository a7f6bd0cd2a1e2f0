"""Word list numbering: turns (numId, ilvl) into the marker Word shows ("1.", "b.", "2.1", "(3)")."""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: show every level as decimal


@dataclass
class NumberingResolver:
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_part(cls, numbering_element) -> "NumberingResolver":
        res = cls()
        if numbering_element is None:
            return res
        for absn in numbering_element.findall(f"{W}abstractNum"):
            res.abstract[absn.get(f"{W}abstractNumId")] = {
                int(lvl.get(f"{W}ilvl", "0")): _level(lvl) for lvl in absn.findall(f"{W}lvl")}
        for num in numbering_element.findall(f"{W}num"):
            aid = num.find(f"{W}abstractNumId")
            starts: dict[int, int] = {}
            levels: dict[int, Level] = {}
            for ov in num.findall(f"{W}lvlOverride"):
                ilvl = int(ov.get(f"{W}ilvl", "0"))
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    starts[ilvl] = int(so.get(f"{W}val", "1"))
                lvl = ov.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            res.nums[num.get(f"{W}numId")] = (aid.get(f"{W}val") if aid is not None else "", starts, levels)
        return res

    def level(self, num_id: str, ilvl: int) -> Level | None:
        if num_id not in self.nums:
            return None
        aid, starts, overrides = self.nums[num_id]
        lvl = overrides.get(ilvl) or self.abstract.get(aid, {}).get(ilvl)
        if lvl is None:
            return None
        if ilvl in starts:
            lvl = Level(starts[ilvl], lvl.fmt, lvl.text, lvl.legal)
        return lvl

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counter of this list level and return the marker text ('' for 'none')."""
        if num_id in (None, "0") or num_id not in self.nums:
            return None
        aid, starts, _ = self.nums[num_id]
        # lists sharing an abstract definition continue each other's numbering unless restarted
        key = f"n{num_id}" if starts else f"a{aid}"
        counters = self.counters.setdefault(key, {})
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return None
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lvl.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if lvl.fmt == "bullet":
            return _bullet(lvl.text)
        if lvl.fmt == "none":
            return lvl.text if "%" not in lvl.text else ""
        text = lvl.text
        for k in range(ilvl, -1, -1):
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            other = self.level(num_id, k) or Level()
            value = counters.get(k, other.start)
            fmt = "decimal" if lvl.legal and k < ilvl else (lvl.fmt if k == ilvl else other.fmt)
            text = text.replace(placeholder, format_number(value, fmt))
        return text


def _level(lvl) -> Level:
    def val(tag: str, default: str) -> str:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val", default) if el is not None else default

    return Level(start=int(val("start", "1")), fmt=val("numFmt", "decimal"), text=val("lvlText", "%1."),
                 legal=lvl.find(f"{W}isLgl") is not None)


def _bullet(symbol: str) -> str:
    # Symbol-font bullets are private-use characters; show a plain bullet instead
    return "•" if not symbol or ord(symbol[0]) >= 0xE000 or symbol in ("\uf0b7", "o", "§") else symbol


ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        # Word repeats the letter after z: aa, bb, ...
        letter = chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", n
        for value, sym in ROMAN:
            while rest >= value:
                out += sym
                rest -= value
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
