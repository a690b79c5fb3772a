import { describe, expect, it } from 'vitest';
import { defaultCameraSettings, parseCameraSettings } from '../src/camera/camera-settings';

describe('camera settings', () => {
  it('are off by default, with the lite model', () => {
    expect(parseCameraSettings(null)).toEqual({ enabled: false, model: 'lite', skeleton: true, saveLandmarks: false, findRoller: true });
    expect(defaultCameraSettings.enabled).toBe(false);
  });

  it('keep valid fields and drop damaged ones', () => {
    expect(parseCameraSettings('{"enabled":true,"model":"heavy","skeleton":"yes","saveLandmarks":true}'))
      .toEqual({ enabled: true, model: 'lite', skeleton: true, saveLandmarks: true, findRoller: true });
    expect(parseCameraSettings('{"findRoller":true}').findRoller).toBe(true);
    expect(parseCameraSettings('{"findRoller":"yes"}').findRoller).toBe(true);   // not a boolean: the default
    expect(parseCameraSettings('{"findRoller":false}').findRoller).toBe(false);
    expect(parseCameraSettings('{"model":"full"}').model).toBe('full');
    expect(parseCameraSettings('not json')).toEqual(defaultCameraSettings);
    expect(parseCameraSettings('[1]')).toEqual(defaultCameraSettings);
  });
});
