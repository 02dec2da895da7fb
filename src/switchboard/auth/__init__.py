"""Who may do what, and the credentials they keep: users, API tokens, authentications, secret keys.

Secret fields of authentications are encrypted at rest (`encryption`, `keys`, `rotation`); users
have a role (`roles`) that decides what they may change; `authentications` stores credentials per
scope (personal or organisational) and `resolution` hands them to the engine for a run.
"""
