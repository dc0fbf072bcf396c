-- Probe messages that smtp monitors sent through a mail pipeline, and when the pipeline reported each one to the
-- heartbeat monitor that judges it. The report can arrive before the sender has written its row, so either write
-- may create the row: sent_at and due_at stay null until the sender's write, and such a row is never judged.
CREATE TABLE mail_probes (
    monitor_id   text NOT NULL,
    token        text NOT NULL,
    sent_at      bigint,
    due_at       bigint,
    delivered_at bigint,
    PRIMARY KEY (monitor_id, token)
);

CREATE INDEX mail_probes_monitor_due ON mail_probes (monitor_id, due_at);
