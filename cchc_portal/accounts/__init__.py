"""Accounts: logins (lockout, second factor), sessions (lifetime, idle timeout), password change and
reset. The users and roles themselves are the core's (reports.models.Membership, reports.scope)."""
