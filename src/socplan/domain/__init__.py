"""Pure domain: entities, rules, formulas, periods and deadlines. Standard library only."""
