"""The yearly registration (团籍注册) and education evaluation (团员教育评议) of every branch.

``services`` records results (from the bulk form or an imported table), submits a branch's
registration and certifies or returns it; ``importing`` is the table; ``views`` the pages.
The figures are in :mod:`reports.metrics.registration`.
"""
