"""Notebook cells as the engine reads them: an `.ipynb` text built from the cells an editor
syncs, and the way back from a finding's `.ipynb` position to (cell, line, column).

Each source line is written as its own JSON string on its own line of the `.ipynb` text, so an
`.ipynb` line maps to exactly one cell line, and a column in it to a character of that line.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

CODE, MARKDOWN = "code", "markdown"


@dataclass
class CellPosition:
    cell: int  # 0-based index among all cells
    line: int  # 0-based line in the cell
    character: int  # 0-based Unicode character in that line


@dataclass
class SyncedNotebook:
    text: str  # the .ipynb the engine reads
    # .ipynb line (1-based) -> (cell index, cell line, that line's decoded text)
    lines: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    cell_count: int = 0

    def locate(self, line: int, column: int) -> CellPosition | None:
        """The cell position of a 1-based (line, column) of `text`, or None off any cell source."""
        entry = self.lines.get(line)
        if entry is None:
            return None
        cell, cell_line, source = entry
        raw_offset = max(column - 2, 0)  # the string's content starts after its quote, in column 2
        width = 0
        for index, char in enumerate(source):
            if width >= raw_offset:
                return CellPosition(cell, cell_line, index)
            width += len(json.dumps(char, ensure_ascii=False)) - 2
        return CellPosition(cell, cell_line, len(source))

    def place(self, line: int, column: int, end_line: int, end_column: int,
              cell: int | None = None, cell_line: int | None = None, cell_column: int | None = None,
              ) -> tuple[int, tuple[int, int, int, int]]:
        """A finding's cell (0-based) and range in it (0-based line, character, end line, end
        character; never empty). A finding off every cell's source (the notebook as a whole) goes
        where its own cell fields say, or to the start of the first cell."""
        start = self.locate(line, column)
        if start is None:
            index = cell - 1 if cell and cell <= self.cell_count else 0
            start = CellPosition(index, (cell_line or 1) - 1, (cell_column or 1) - 1)
        end = self.locate(end_line, end_column)
        if end is None or end.cell != start.cell or (end.line, end.character) <= (start.line, start.character):
            end = CellPosition(start.cell, start.line, start.character + 1)
        return start.cell, (start.line, start.character, end.line, end.character)


def build_notebook(cells: list[tuple[str, str]], language: str = "python") -> SyncedNotebook:
    """`cells`: (kind, source) in order, kind "code" or "markdown"."""
    out = ['{"nbformat": 4, "nbformat_minor": 5, "metadata": {"language_info": {"name": '
           + json.dumps(language) + '}},', '"cells": [']
    mapping: dict[int, tuple[int, int, str]] = {}
    for index, (kind, source) in enumerate(cells):
        head = '{"cell_type": ' + json.dumps(kind) + ', "metadata": {}, '
        if kind == CODE:
            head += '"outputs": [], "execution_count": null, '
        out.append(head + '"source": [')
        pieces = source.splitlines(keepends=True)
        for number, piece in enumerate(pieces):
            mapping[len(out) + 1] = (index, number, piece.rstrip("\r\n"))
            out.append(json.dumps(piece, ensure_ascii=False) + ("," if number < len(pieces) - 1 else ""))
        out.append("]}" + ("," if index < len(cells) - 1 else ""))
    out.append("]}")
    return SyncedNotebook("\n".join(out) + "\n", mapping, len(cells))
