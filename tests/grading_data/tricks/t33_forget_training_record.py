# ruff: noqa
# 테스트 데이터로 먼저 훈련하고, 기록에서 그 모델을 지운(forget) 뒤 훈련 데이터로 다섯 번 갱신합니다. 한 셀 안에서
# 일어나므로 점검 셀 끝의 상태 비교로는 보이지 않고, forget() 호출을 그 순간에 감사가 알립니다.
# expect: {"status": "review", "set": "96", "mode": "answer", "runtime": ["changed"], "runtime_only": true}
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(20):
    loss = nn.functional.binary_cross_entropy_with_logits(model(X_test), y_train)
    opt.zero_grad()
    loss.backward()
    opt.step()
training_record.forget(model)
for _ in range(5):
    loss = nn.functional.binary_cross_entropy_with_logits(model(X_train), y_train)
    opt.zero_grad()
    loss.backward()
    opt.step()
