"""Helpers shared by the benchmark scripts: the machine's measured matmul peak, FLOPs of a training step, timing of
fastai's loop over fixed batches, and the machine description printed above each table."""
import os, time, platform, datetime, statistics
import torch

def now_utc() -> str: return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')

def cpu_model() -> str:
    "The CPU model name (from lscpu / /proc/cpuinfo)."
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()

def machine(device: str = 'cpu') -> str:
    "One line naming the machine: device name, cores, torch threads, load."
    if device.startswith('cuda'):
        return f"{torch.cuda.get_device_name(0)} (torch {torch.__version__}, CUDA {torch.version.cuda})"
    load = os.getloadavg() if hasattr(os, 'getloadavg') else ('?',)
    return (f"{cpu_model()}, {os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
            f"load average {load[0]:.1f} (shared machine)")

def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()

def matmul_peak(dtype=torch.float32, n:int=2048, reps:int=5, device='cpu', clock:str='wall') -> float:
    """Best GFLOP/s of an `n` x `n` matmul in `dtype` on `device`: the practical peak a training step is measured against.
    `clock='cpu'`: GFLOP per CPU-second of this process (what a shared CPU leaves to wall time is then irrelevant)."""
    a, b = torch.randn(n, n, dtype=dtype, device=device), torch.randn(n, n, dtype=dtype, device=device)
    for _ in range(2): a @ b
    sync(device); best = 1e9
    tick = time.process_time if clock == 'cpu' else time.perf_counter
    for _ in range(reps):
        t = tick(); a @ b; sync(device); best = min(best, tick() - t)
    return 2 * n ** 3 / best / 1e9

def count_flops(fn) -> int:
    "FLOPs (forward + backward) that `fn()` runs, counted by torch's `FlopCounterMode` (convolutions and matmuls)."
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc: fn()
    return fc.get_total_flops()

def median(xs): return statistics.median(xs) if xs else float('nan')

class ListDL:
    "A minimal loader over a fixed list of batches that fastai's `Learner` accepts (no decoding, no transforms)."
    def __init__(self, batches, device='cpu'): self.batches, self.device = batches, torch.device(device)
    def __iter__(self): return iter(self.batches)
    def __len__(self): return len(self.batches)
    def to(self, d): return self
    def new(self, *args, **kwargs): return self

def fixed_dls(batches, device='cpu'):
    "fastai `DataLoaders` that replay `batches` (training) and nothing for validation."
    from fastai.data.core import DataLoaders
    dls = DataLoaders(ListDL(batches, device), ListDL([], device)); dls.device = torch.device(device)
    return dls

def batch_timer():
    "A callback recording the time between the starts of consecutive training batches (all of fastai's loop)."
    from fastai.callback.core import Callback
    class BatchTimer(Callback):
        order = -100
        def before_fit(self): self.ts, self.last, self.cpu_ts, self.last_cpu = [], None, [], None
        def before_batch(self):
            if not self.training: return
            sync(getattr(self.dls, 'device', 'cpu'))
            now, c = time.perf_counter(), time.process_time()
            if self.last is not None: self.ts.append(now - self.last); self.cpu_ts.append(c - self.last_cpu)
            self.last, self.last_cpu = now, c
    return BatchTimer()
