"""Keyword, company and volume alerts delivered by e-mail, Slack or webhook (config/alerts.yaml).

`run_alerts(settings)` is the entry point used by the CLI (`newsroom alerts run`) and the Airflow DAG.
"""

from pipeline.alerts.runner import run_alerts

__all__ = ["run_alerts"]
