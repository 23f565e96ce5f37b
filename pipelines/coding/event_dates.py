"""Event dates: explicit and relative expressions resolved against the publication date.

Reads tokens, not NER (the coder runs without it). Each expression has a precision:
- day: weekday names ("on Tuesday", "on Tuesday evening": the latest such day up to the
  publication date), month and day ("on August 4", "4 August 2025"), "yesterday", "today",
  "last night", "last Tuesday";
- week: "last week", "earlier this week";
- month: "last month", "in March", "late July", "since October", "this month";
- year: "last year", "this year", "in 2004".
Only a day dates an act (``act_date``); a vaguer expression is kept as the act's date text and
precision, and the act takes its publication date, as GDELT and ICEWS date undated acts.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span, Token

from pipelines.coding import grammar
from pipelines.datamodel.records import DatePrecision

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


@dataclass(frozen=True)
class DateExpression:
    start: int  # token offsets in the Doc
    end: int
    text: str
    value: date  # the day named, or the first day of the week, month or year named
    anchor: int  # the token the expression attaches to in the parse
    precision: DatePrecision = DatePrecision.DAY  # never UNSTATED: an expression names a time


_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})


def _shift_months(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _latest_month_day(month: int, day_of_month: int, published: date) -> date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day_of_month)
        except ValueError:
            return None
        if candidate <= published + timedelta(days=1):
            return candidate
    return None


def _year_after(tokens: list[Token], i: int) -> tuple[int | None, int]:
    """A four-digit year right after position i (skipping a comma): (year, tokens used)."""
    j = i
    if j < len(tokens) and tokens[j].text == ",":
        j += 1
    if j < len(tokens) and tokens[j].like_num and len(tokens[j].text) == 4:
        try:
            return int(tokens[j].text), j - i + 1
        except ValueError:
            return None, 0
    return None, 0


# a cheap look at the text first: most sentences name no date at all
_UNITS = "week|month|year|night|" + "|".join(WEEKDAYS)
_DAY_WORDS = sorted({*WEEKDAYS, *MONTHS, "yesterday", "today", "tonight"}, key=len, reverse=True)
# the letters those words start with: one look at a word's first letter instead of trying
# every word on it (the search runs over every sentence coded; this halves its cost)
_FIRST_LETTERS = "".join(sorted({word[0] for word in _DAY_WORDS} | {"l", "t"}))
DATE_WORDS = re.compile(
    rf"\b(?=[{_FIRST_LETTERS}])(?:"
    + "|".join(_DAY_WORDS)
    + rf"|last (?:{_UNITS})|this (?:week|month|year))\b"
    + r"|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def find_dates(sentence: Span, published: date, text: str | None = None) -> list[DateExpression]:
    """Date expressions in a sentence; ``text`` is the sentence's text when the caller has it
    (Span.text rebuilds it token by token)."""
    if not DATE_WORDS.search(sentence.text if text is None else text):
        return []
    tokens = list(sentence)
    found: list[DateExpression] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        low = token.lower_
        result: tuple[int, date, str] | None = None  # (tokens used, value, precision)
        lead = 0  # words before token i that belong to the expression ("late" in "late July")
        if low in WEEKDAYS:
            back = (published.weekday() - WEEKDAYS[low]) % 7
            part_of_day = i + 1 < len(tokens) and tokens[i + 1].lower_ in _PARTS_OF_DAY
            result = (2 if part_of_day else 1, published - timedelta(days=back), DatePrecision.DAY)
        elif (
            low in MONTHS
            and token.text[:1].isupper()
            and (low != "may" or _is_number(tokens, i + 1) or _year_after(tokens, i + 1)[0])
        ):
            month = MONTHS[low]
            if _is_number(tokens, i + 1) and int(_digits(tokens[i + 1].text)) <= 31:
                day_of_month = int(_digits(tokens[i + 1].text))
                year, used = _year_after(tokens, i + 2)
                value = (
                    _safe_date(year, month, day_of_month)
                    if year
                    else _latest_month_day(month, day_of_month, published)
                )
                if value:
                    result = (2 + used, value, DatePrecision.DAY)
            elif i > 0 and _is_number(tokens, i - 1) and int(_digits(tokens[i - 1].text)) <= 31:
                pass  # handled from the number
            else:
                year, used = _year_after(tokens, i + 1)
                if year:
                    value = _safe_date(year, month, 1)
                else:
                    value = _latest_month_day(month, 1, published)
                before = tokens[i - 1].lower_ if i > 0 else ""
                if value and before in ("in", "since", "during", "early", "late", "mid", "until"):
                    result = (1 + used, value, DatePrecision.MONTH)
                    # "since October" and "late July" say more than the month alone
                    lead = 0 if before == "in" else 1
        elif _is_year(token) and i > 0 and tokens[i - 1].lower_ in _YEAR_PREPOSITIONS:
            result = (1, date(int(token.text), 1, 1), DatePrecision.YEAR)
        elif token.like_num and _digits(token.text) and i + 1 < len(tokens):
            nxt = tokens[i + 1].lower_
            if (
                nxt in MONTHS
                and tokens[i + 1].text[:1].isupper()
                and int(_digits(token.text)) <= 31
            ):
                year, used = _year_after(tokens, i + 2)
                day_of_month = int(_digits(token.text))
                value = (
                    _safe_date(year, MONTHS[nxt], day_of_month)
                    if year
                    else _latest_month_day(MONTHS[nxt], day_of_month, published)
                )
                if value:
                    result = (2 + used, value, DatePrecision.DAY)
        elif low == "yesterday":
            result = (1, published - timedelta(days=1), DatePrecision.DAY)
        elif low in ("today", "tonight"):
            result = (1, published, DatePrecision.DAY)
        elif low == "last" and i + 1 < len(tokens):
            unit = tokens[i + 1].lower_
            if unit == "week":
                result = (2, published - timedelta(days=7), DatePrecision.WEEK)
            elif unit == "month":
                result = (2, _shift_months(published, -1), DatePrecision.MONTH)
            elif unit == "year":
                result = (2, _shift_months(published, -12), DatePrecision.YEAR)
            elif unit == "night":
                result = (2, published - timedelta(days=1), DatePrecision.DAY)
            elif unit in WEEKDAYS:
                back = (published.weekday() - WEEKDAYS[unit]) % 7 or 7
                result = (2, published - timedelta(days=back), DatePrecision.DAY)
        elif low in ("earlier", "this") and i + 1 < len(tokens):
            words = [t.lower_ for t in tokens[i + 1 : i + 3]]
            unit = words[1] if words[0] == "this" and len(words) > 1 else words[0]
            if unit in ("week", "month", "year"):
                result = (3 if words[0] == "this" else 2, published, DatePrecision(unit))
        if result is not None:
            used, value, precision = result
            span = tokens[i - lead : i + used]
            anchor = _anchor(span)
            found.append(
                DateExpression(
                    start=span[0].i,
                    end=span[-1].i + 1,
                    text=" ".join(t.text for t in span),
                    value=value,
                    anchor=anchor,
                    precision=precision,
                )
            )
            i += used
        else:
            i += 1
    return found


def _anchor(span: list[Token]) -> int:
    """The verb or noun a date expression modifies, through its preposition."""
    inside = {t.i for t in span}
    head = span[0]
    for token in span:
        if token.head.i not in inside:
            head = token
            break
    target = head.head
    if target.dep_ == "prep" and target.head.i != target.i:
        target = target.head
    return target.i


_YEAR_PREPOSITIONS = frozenset({"in", "since", "during", "until", "of", "throughout"})


def _is_year(token: Token) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and 1900 <= int(token.text) <= 2100


def _is_number(tokens: list[Token], i: int) -> bool:
    return i < len(tokens) and bool(_digits(tokens[i].text)) and len(_digits(tokens[i].text)) <= 2


def _digits(text: str) -> str:
    text = text.lower()
    for suffix in ("st", "nd", "rd", "th"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text if text.isdigit() else ""


def _safe_date(year: int | None, month: int, day_of_month: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day_of_month)
    except ValueError:
        return None


def act_date(
    expressions: list[DateExpression], trigger: Token, anchor: Token | None, published: date
) -> tuple[date, str | None, str]:
    """The date of an act, the words that set it and their precision.

    The expression is the one attached to the trigger (or the verb that carries it), else one
    attached to a verb that embeds it, else the only expression in the sentence when it hangs on
    the act's own clause line. Only an expression that names a day dates the act; a week, month
    or year is kept as the text and precision while the act takes its publication date. With no
    expression the act takes its publication date and the precision is ``DatePrecision.UNSTATED``.
    """
    chosen = _expression_of(expressions, trigger, anchor)
    if chosen is None:
        return published, None, DatePrecision.UNSTATED
    if chosen.precision == DatePrecision.DAY:
        return chosen.value, chosen.text, DatePrecision.DAY
    return published, chosen.text, chosen.precision


def _expression_of(
    expressions: list[DateExpression], trigger: Token, anchor: Token | None
) -> DateExpression | None:
    if not expressions:
        return None
    anchors = {trigger.i}
    if anchor is not None:
        anchors.add(anchor.i)
    for expression in expressions:
        if expression.anchor in anchors:
            return expression
    chain = {a.i for a in grammar.ancestors_through_clauses(anchor or trigger)}
    for expression in expressions:
        if expression.anchor in chain:
            return expression
    if len(expressions) == 1:
        (only,) = expressions
        # A lone date dates the event only when it hangs on the event's own clause or one
        # embedding it ("said on Tuesday that..."), not on another clause ("Mali broke off
        # relations after an official acknowledged a role in an attack last month": last
        # month is the attack's date, not the break's).
        if grammar.in_clause_line(trigger.doc[only.anchor], trigger):
            return only
    return None
