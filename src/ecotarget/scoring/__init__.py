"""Scoring an assessment (考核评分), in pure Python: no Django, no database, usable as a library.

A scheme (评分细则) is a tree of parts and items, each item with its points and a rule that says how they are
lost or won (`rules`); an item is scored from the facts the caller gathered (`items`: a measured value, events
counted, a task's completion, a reviewer's score); a unit's items make its total, converted to 100 when the
points that apply to it are not 100, with bonuses, penalties and vetoes, graded and ranked (`totals`). Every
result carries its working as a sentence a reader can check. The wording of a published 评分标准 is read into a
proposed rule by `wording`.

All arithmetic is Decimal; points are rounded by GB/T 8170 (`standards.rounding.round_decimal`) to the scheme's
places (0.01 unless it says otherwise), once, at the end of each item and each total.
"""
