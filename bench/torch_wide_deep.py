# The engine's WideDeep layer for layer in PyTorch, for the benchmarks' peers (engine-torch-peer.py on
# CPU, gpu/torch_train.py on CUDA): wide = a 1-wide embedding per categorical column → Linear(cats → 1),
# kernel zeros; deep = dense inputs ++ embeddings → hidden (ReLU) → Linear(→ 1, no bias); the logits
# add. Each part has its own tables, as the engine's two FeatureInputs do.
import torch


class WideDeep(torch.nn.Module):
    def __init__(self, dense, cats, vocab, emb, hidden, sparse=False):
        super().__init__()
        self.wide_emb = torch.nn.ModuleList([torch.nn.Embedding(vocab, 1, sparse=sparse) for _ in range(cats)])
        self.wide = torch.nn.Linear(cats, 1)
        torch.nn.init.zeros_(self.wide.weight)
        self.deep_emb = torch.nn.ModuleList([torch.nn.Embedding(vocab, emb, sparse=sparse) for _ in range(cats)])
        layers, width = [], dense + cats * emb
        for h in hidden:
            layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
            width = h
        self.deep = torch.nn.Sequential(*layers)
        self.deep_head = torch.nn.Linear(width, 1, bias=False)

    def forward(self, dense, ids):
        wide = self.wide(torch.cat([e(ids[:, i]) for i, e in enumerate(self.wide_emb)], 1))
        deep = torch.cat([dense] + [e(ids[:, i]) for i, e in enumerate(self.deep_emb)], 1)
        return wide + self.deep_head(self.deep(deep))
