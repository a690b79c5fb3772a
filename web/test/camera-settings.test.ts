import { describe, expect, it } from 'vitest';
import { defaultCameraSettings, heightField, parseCameraSettings, validHeight } from '../src/camera/camera-settings';

describe('camera settings', () => {
  it('are off by default, with the lite model', () => {
    expect(parseCameraSettings(null)).toEqual({ enabled: false, model: 'lite', skeleton: true, saveLandmarks: false, findRoller: true, heightCm: null });
    expect(defaultCameraSettings.enabled).toBe(false);
  });

  it('keep valid fields and drop damaged ones', () => {
    expect(parseCameraSettings('{"enabled":true,"model":"heavy","skeleton":"yes","saveLandmarks":true}'))
      .toEqual({ enabled: true, model: 'lite', skeleton: true, saveLandmarks: true, findRoller: true, heightCm: null });
    expect(parseCameraSettings('{"findRoller":true}').findRoller).toBe(true);
    expect(parseCameraSettings('{"findRoller":"yes"}').findRoller).toBe(true);   // not a boolean: the default
    expect(parseCameraSettings('{"findRoller":false}').findRoller).toBe(false);
    expect(parseCameraSettings('{"model":"full"}').model).toBe('full');
    expect(parseCameraSettings('not json')).toEqual(defaultCameraSettings);
    expect(parseCameraSettings('[1]')).toEqual(defaultCameraSettings);
  });

  it('keep a height the analyser accepts, in whole centimetres, and nothing else', () => {
    expect(parseCameraSettings('{"heightCm":172}').heightCm).toBe(172);
    expect(parseCameraSettings('{"heightCm":171.6}').heightCm).toBe(172);
    for (const bad of ['"172"', '99', '251', '1e400', 'null', '-170', 'true'])
      expect(parseCameraSettings(`{"heightCm":${bad}}`).heightCm).toBeNull();
    expect(validHeight('168')).toBe(168);
    expect(validHeight(' 5.8 ')).toBeNull();   // feet are not centimetres
    expect(validHeight('')).toBeNull();
    expect(validHeight('abc')).toBeNull();
    expect(validHeight(Number.NaN)).toBeNull();
    expect(validHeight(250)).toBe(250);
  });

  it('send the height with a session only with the camera on and a height given', () => {
    const on = { ...defaultCameraSettings, enabled: true };
    expect(heightField({ ...on, heightCm: 181 })).toEqual({ body_height_cm: 181 });
    expect(heightField({ ...on, heightCm: null })).toEqual({});
    expect(heightField({ ...defaultCameraSettings, heightCm: 181 })).toEqual({});
  });
});
