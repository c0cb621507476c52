from datetime import datetime

from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

from etl import load
from etl.extract import extract_orders

TASK = "publish"

with DAG(dag_id="orders", start_date=datetime(2024, 1, 1), schedule="@daily"):
    extract = PythonOperator(task_id="extract", python_callable=extract_orders)
    features = BashOperator(
        task_id="features",
        bash_command="python scripts/features.py",
        outlets=[Dataset("s3://lake/features")],
    )
    report = BashOperator(task_id="report", bash_command="python scripts/report.py")
    publish = PythonOperator(task_id="publish", python_callable=getattr(load, TASK))
    extract >> features >> [report, publish]
