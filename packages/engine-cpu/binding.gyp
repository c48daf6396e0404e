{
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-ffp-contract=off", "-fvisibility=hidden"],
    "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y", "-std=gnu++20", "-O2", "-O0"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"]
  },
  "targets": [
    {
      "target_name": "atelier_engine_cpu",
      "sources": [
        "native/addon.cc",
        "native/thread-pool.cc",
        "native/gemm.cc",
        "native/gemm-kernel-portable.cc",
        "native/elementwise.cc",
        "native/reduce.cc",
        "native/loss.cc",
        "native/softmax.cc",
        "native/optimizer.cc",
        "native/embedding.cc"
      ],
      "libraries": ["-lpthread"],
      "conditions": [
        ["target_arch=='x64'", {
          "defines": ["ATELIER_X86_KERNELS=1"],
          "dependencies": ["gemm_avx2", "gemm_avx512"]
        }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "gemm_avx2",
          "type": "static_library",
          "cflags_cc": ["-mavx2", "-mfma", "-fPIC"],
          "sources": ["native/gemm-kernel-avx2.cc"]
        },
        {
          "target_name": "gemm_avx512",
          "type": "static_library",
          "cflags_cc": ["-mavx512f", "-mavx2", "-mfma", "-fPIC"],
          "sources": ["native/gemm-kernel-avx512.cc"]
        }
      ]
    }]
  ]
}
