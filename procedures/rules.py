"""Who may edit a commune's procedure catalogue (the unit's, not a report's): its officers and
leader, and the superuser. Built on the core's predicates (reports.scope underneath)."""

import rules

from reports.rules import is_commune_officer, is_superuser

rules.add_perm("procedures.edit_catalogue", is_commune_officer | is_superuser)
