# ruff: noqa
# watch_training()을 다시 불러 점검이 보는 기록을 멈추게 하고(새 기록은 학생의 것), 테스트 데이터로 훈련합니다.
# expect: {"status": "review", "set": "96", "mode": "answer", "runtime": ["changed"], "runtime_only": true}
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(5):
    loss = nn.functional.binary_cross_entropy_with_logits(model(X_train), y_train)
    opt.zero_grad()
    loss.backward()
    opt.step()
my_record = helper_functions.watch_training()
for _ in range(3):
    loss = nn.functional.binary_cross_entropy_with_logits(model(X_test), y_train)
    opt.zero_grad()
    loss.backward()
    opt.step()
