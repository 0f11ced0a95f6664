"""One module per question family; ``answer.registry`` lists them.

- ``unit_tasks``: what a unit must do;
- ``units``: who leads / who coordinates a task;
- ``facts``: a date, deadline, number, signer, budget … (also the plan's own header);
- ``lists``: the items of a section;
- ``compare``: the same question across several plans;
- ``passages``: the fallback, the best passages quoted.
"""

__all__: list[str] = []
