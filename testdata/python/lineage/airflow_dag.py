from datetime import datetime

from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

from shop.jobs import load_orders

with DAG("features", schedule=[Dataset("s3://lake/orders")], start_date=datetime(2024, 1, 1)) as dag:
    load = PythonOperator(task_id="load", python_callable=load_orders)
    feats = BashOperator(
        task_id="feats",
        bash_command="python featurize.py",
        outlets=[Dataset("s3://lake/features")],
    )
    train = BashOperator(task_id="train", bash_command="python train.py")
    report = BashOperator(task_id="report", bash_command="echo done")
    load >> feats >> [train, report]
    report << train
