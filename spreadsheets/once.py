"""Work done once per distinct cell value in an import, not once per row.

A roster of 10,000 rows holds a handful of genders, peoples, education levels and a few thousand
dates: reading such a cell (a widget) or validating it (a model field's ``clean``) gives the same
answer, or the same error, for the same value. :class:`OncePerValue` keeps those answers per
column, up to a bound, so that columns with a value per person (names, ID numbers) cost no memory
beyond it.
"""

import copy

from django.core.exceptions import ValidationError

#: distinct values kept per column; beyond it a column is treated as one value per person
LIMIT = 5000


#: a column whose first lookups are mostly new values (names, ID numbers) stops being kept
SAMPLE = 200


class OncePerValue:
    def __init__(self, limit=LIMIT):
        self.limit = limit
        self._answers = {}
        self._misses = {}
        self._direct = set()  # columns with a value per person: computed every time
        self._models = {}  # model -> its fields, as clean_fields walks them

    def get(self, column, value, compute):
        """``compute(value)``, or its answer for an equal value of ``column`` before; a
        ValueError or ValidationError it raised is raised again (a fresh copy)."""
        if column in self._direct:
            return compute(value)
        try:
            answers = self._answers[column]
        except KeyError:
            answers = self._answers[column] = {}
            self._misses[column] = 0
        try:
            ok, answer = answers[(type(value), value)]
        except TypeError:  # an unhashable value: nothing to share
            return compute(value)
        except KeyError:
            try:
                ok, answer = True, compute(value)
            except (ValueError, ValidationError) as exc:
                ok, answer = False, exc
            misses = self._misses[column] = self._misses[column] + 1
            if misses == SAMPLE and len(answers) >= SAMPLE - 1:
                # Nearly every value so far was new: keeping them would only cost memory.
                self._direct.add(column)
                del self._answers[column]
            elif len(answers) < self.limit:
                answers[(type(value), value)] = (ok, answer)
        if not ok:
            raise copy.copy(answer)
        return answer

    def clean_fields(self, instance, exclude=()):
        """``Model.clean_fields`` with each field's ``clean`` asked once per value: for fields
        whose validation depends on their value only (no foreign keys, which go in ``exclude``)."""
        errors = {}
        for field, name, attname, blank, empty in self._fields_of(type(instance)):
            if name in exclude:
                continue
            raw = getattr(instance, attname)
            if blank and raw in empty:
                continue
            try:
                if name in self._direct:
                    cleaned = field.clean(raw, instance)
                else:
                    cleaned = self.get(name, raw, lambda v, f=field: f.clean(v, instance))
            except ValidationError as exc:
                errors[name] = exc.error_list
            else:
                setattr(instance, attname, cleaned)
        if errors:
            raise ValidationError(errors)

    def _fields_of(self, model):
        if model in self._models:
            return self._models[model]
        plan = self._models[model] = [
            (f, f.name, f.attname, f.blank, f.empty_values)
            for f in model._meta.fields
            if not f.generated
        ]
        return plan
