"""A small safe evaluator for validation rules: `left op right` over item codes, numbers and + - * /.

Rules are parsed into a tree once and evaluated over Decimals; nothing is ever passed to eval.
A rule whose items are not all filled in is not checked (None), so a rule that names an item of
another sector waits until both values exist.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

COMPARISONS = {
    "=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "≤": lambda a, b: a <= b,
    "<=": lambda a, b: a <= b,
    "≥": lambda a, b: a >= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[a-z_][a-z0-9_]*)|(?P<op><=|>=|==|[-+*/()=<>≤≥]))")


class RuleSyntaxError(ValueError):
    """The expression is not a valid rule; the message is Thai, for the catalogue editor."""


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Item:
    code: str


@dataclass(frozen=True)
class Negate:
    operand: "Node"


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"


Node = Number | Item | Negate | Binary


@dataclass(frozen=True)
class Rule:
    left: Node
    op: str
    right: Node
    codes: frozenset[str]


def _tokenize(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = expression.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise RuleSyntaxError(f"เงื่อนไขมีอักขระที่ใช้ไม่ได้ที่ตำแหน่ง {position + 1}: “{text[position:position + 10]}”")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.index = 0
        self.codes: set[str] = set()

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError("เงื่อนไขจบไม่สมบูรณ์")
        self.index += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while (token := self.peek()) and token[1] in ("+", "-"):
            self.take()
            node = Binary(token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) and token[1] in ("*", "/"):
            self.take()
            node = Binary(token[1], node, self.factor())
        return node

    def factor(self) -> Node:
        kind, text = self.take()
        if kind == "number":
            return Number(Decimal(text))
        if kind == "name":
            self.codes.add(text)
            return Item(text)
        if text == "-":
            return Negate(self.factor())
        if text == "(":
            node = self.expression()
            if self.take()[1] != ")":
                raise RuleSyntaxError("วงเล็บไม่ครบคู่")
            return node
        raise RuleSyntaxError(f"ไม่คาดว่าจะพบ “{text}” ในตำแหน่งนี้")


@lru_cache(maxsize=4096)  # a rule is parsed once per process, not once per check: its tree never changes
def parse(expression: str) -> Rule:
    """Parse `left op right`; raise RuleSyntaxError (Thai) if it is not one."""
    parser = _Parser(_tokenize(expression))
    left = parser.expression()
    token = parser.peek()
    if token is None or token[1] not in COMPARISONS:
        raise RuleSyntaxError("เงื่อนไขต้องมีตัวเปรียบเทียบหนึ่งตัว (=, ≤, ≥, <, >)")
    parser.take()
    right = parser.expression()
    if parser.peek() is not None:
        raise RuleSyntaxError(f"มีข้อความเกินหลังเงื่อนไข: “{parser.peek()[1]}”")
    return Rule(left=left, op=token[1], right=right, codes=frozenset(parser.codes))


class _Missing(Exception):
    pass


def _value(node: Node, values: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Item):
        value = values.get(node.code)
        if value is None:
            raise _Missing
        return Decimal(value)
    if isinstance(node, Negate):
        return -_value(node.operand, values)
    left, right = _value(node.left, values), _value(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return left / right


def evaluate(rule: Rule, values: Mapping[str, Decimal | None]) -> bool | None:
    """True if the rule holds, False if it fails, None if an item it names has no value (or ÷ 0)."""
    try:
        return COMPARISONS[rule.op](_value(rule.left, values), _value(rule.right, values))
    except (_Missing, DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


def _added_items(node: Node) -> tuple[str, ...] | None:
    """The codes of `a + b + …` when the node adds up items and nothing else."""
    if isinstance(node, Item):
        return (node.code,)
    if isinstance(node, Binary) and node.op == "+":
        left, right = _added_items(node.left), _added_items(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def sum_of(rule: Rule) -> tuple[str, tuple[str, ...]] | None:
    """(total, parts) when the rule says an item is the sum of other items (`a + b = total`), else None."""
    if rule.op not in ("=", "=="):
        return None
    for total, parts in ((rule.right, rule.left), (rule.left, rule.right)):
        codes = _added_items(parts)
        if isinstance(total, Item) and codes is not None and len(codes) > 1 and total.code not in codes:
            return total.code, codes
    return None
