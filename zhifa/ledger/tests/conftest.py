from zhifa.ledger.events import declare

declare("ledger.test", "测试事件", testing=True)  # the attack tests append bare events
