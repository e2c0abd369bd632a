-- Run-time trading halts thrown by an admin (PUT /api/v1/admin/kill-switch): one row per scope, '*' for every
-- account, else an account. Read by every node's OMS (cluster/.../oms/KillSwitch), which refuses new orders and modifies
-- of a halted scope at the door; cancels go through. A row with halted = false is a switch thrown back (kept: who, when).
CREATE TABLE risk_controls (
  scope      text    PRIMARY KEY,
  halted     boolean NOT NULL,
  reason     text,
  updated_by text    NOT NULL,
  updated_at bigint  NOT NULL
);
